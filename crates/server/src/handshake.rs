//! A deadline for a new connection to say something: a socket that does
//! not send the first bytes of a handshake (HTTP/2's 24-byte preface, an
//! HTTP/1.1 request, a TLS ClientHello) within the deadline is closed,
//! so silent sockets cannot hold the process's file descriptors. Once a
//! connection has spoken, HTTP/2 keepalive pings find the peers that went
//! away (see [`crate::KEEPALIVE_INTERVAL`]).

use std::{
    future::Future,
    io,
    pin::Pin,
    task::{Context, Poll, ready},
    time::Duration,
};

use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::TcpStream,
    time::{Instant, Sleep},
};
use tonic::transport::server::{Connected, TcpConnectInfo};

/// Bytes a connection must send before its deadline: the length of the
/// HTTP/2 client preface; a TLS ClientHello, or an HTTP/1.1 request with
/// its Host header, is longer. (A shorter HTTP/1.0 request is answered,
/// and its connection closed at the deadline.)
pub const FIRST_BYTES: usize = 24;

/// A TCP connection that is closed (reads fail with `TimedOut`) unless its
/// first [`FIRST_BYTES`] bytes arrive before a deadline.
pub struct HandshakeDeadline {
    stream: TcpStream,
    deadline: Pin<Box<Sleep>>,
    heard: usize,
}

impl HandshakeDeadline {
    /// `stream`, which must have sent its first bytes within `timeout`.
    pub fn new(stream: TcpStream, timeout: Duration) -> Self {
        Self {
            stream,
            deadline: Box::pin(tokio::time::sleep_until(Instant::now() + timeout)),
            heard: 0,
        }
    }
}

impl AsyncRead for HandshakeDeadline {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.heard < FIRST_BYTES && this.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "no handshake before the deadline",
            )));
        }
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.stream).poll_read(cx, buf))?;
        this.heard += buf.filled().len() - before;
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for HandshakeDeadline {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

impl Connected for HandshakeDeadline {
    type ConnectInfo = TcpConnectInfo;

    fn connect_info(&self) -> TcpConnectInfo {
        self.stream.connect_info()
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    async fn pair(timeout: Duration) -> (TcpStream, HandshakeDeadline) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        (client, HandshakeDeadline::new(server, timeout))
    }

    #[tokio::test]
    async fn a_silent_connection_times_out() {
        let (_client, mut server) = pair(Duration::from_millis(200)).await;
        let mut buf = [0u8; 64];
        let error = server.read(&mut buf).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }

    #[tokio::test]
    async fn a_connection_that_spoke_in_time_has_no_deadline() {
        let (mut client, mut server) = pair(Duration::from_millis(200)).await;
        client.write_all(&[b'x'; FIRST_BYTES]).await.unwrap();
        let mut buf = [0u8; FIRST_BYTES];
        server.read_exact(&mut buf).await.unwrap();
        tokio::time::sleep(Duration::from_millis(400)).await;
        client.write_all(b"later").await.unwrap();
        let mut later = [0u8; 5];
        server.read_exact(&mut later).await.unwrap();
        assert_eq!(&later, b"later");
    }

    #[tokio::test]
    async fn a_few_bytes_do_not_lift_the_deadline() {
        let (mut client, mut server) = pair(Duration::from_millis(300)).await;
        client.write_all(b"PRI").await.unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(server.read(&mut buf).await.unwrap(), 3);
        let error = server.read(&mut buf).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }
}
