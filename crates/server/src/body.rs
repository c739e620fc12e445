//! A response body that reports, once, how the call ended: the gRPC
//! status from the trailers (or from the headers of a trailers-only
//! response), when the body ends or is dropped.

use std::{
    pin::Pin,
    task::{Context, Poll},
};

use http_body::{Body, Frame};
use tonic::Code;

/// What is called when a call ends: its status code, `None` when the body
/// was dropped before it ended (the client went away).
pub type OnEnd = Box<dyn FnOnce(Option<Code>) + Send>;

pin_project_lite::pin_project! {
    /// Wraps a response body and calls `on_end` when it ends.
    pub struct Observed<B> {
        #[pin]
        inner: B,
        code: Option<Code>,
        on_end: Option<OnEnd>,
    }

    impl<B> PinnedDrop for Observed<B> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            if let Some(on_end) = this.on_end.take() {
                on_end(*this.code);
            }
        }
    }
}

/// The response with its body observed.
pub fn observe<B>(response: http::Response<B>, on_end: OnEnd) -> http::Response<tonic::body::Body>
where
    B: Body<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<tonic::codegen::StdError>,
{
    let code = status_in(response.headers());
    response.map(|inner| {
        tonic::body::Body::new(Observed {
            inner,
            code,
            on_end: Some(on_end),
        })
    })
}

fn status_in(headers: &http::HeaderMap) -> Option<Code> {
    headers
        .get("grpc-status")
        .map(|value| Code::from_bytes(value.as_bytes()))
}

impl<B: Body> Body for Observed<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = self.project();
        let polled = this.inner.poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(code) = frame.trailers_ref().and_then(status_in) {
                    *this.code = Some(code);
                }
            }
            Poll::Ready(None) => {
                if let Some(on_end) = this.on_end.take() {
                    on_end(Some(this.code.unwrap_or(Code::Ok)));
                }
            }
            Poll::Ready(Some(Err(_))) => {
                *this.code = Some(Code::Internal);
            }
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
