//! The codec of Dyad's services: prost's, except that a request that is not
//! a valid message (truncated, or a string field holding invalid UTF-8) is
//! the caller's fault, answered with INVALID_ARGUMENT rather than INTERNAL.

use tonic::{
    Code, Status,
    codec::{BufferSettings, Codec, DecodeBuf, Decoder},
};
use tonic_prost::ProstCodec;

/// [`ProstCodec`] with decoding errors reported as INVALID_ARGUMENT.
#[derive(Debug, Default)]
pub struct DyadCodec<T, U>(ProstCodec<T, U>);

impl<T, U> Codec for DyadCodec<T, U>
where
    T: prost::Message + Send + 'static,
    U: prost::Message + Default + Send + 'static,
{
    type Encode = T;
    type Decode = U;
    type Encoder = <ProstCodec<T, U> as Codec>::Encoder;
    type Decoder = InvalidArgumentDecoder<<ProstCodec<T, U> as Codec>::Decoder>;

    fn encoder(&mut self) -> Self::Encoder {
        self.0.encoder()
    }

    fn decoder(&mut self) -> Self::Decoder {
        InvalidArgumentDecoder(self.0.decoder())
    }
}

/// A decoder whose INTERNAL errors (undecodable messages) become
/// INVALID_ARGUMENT naming the problem.
#[derive(Debug)]
pub struct InvalidArgumentDecoder<D>(D);

impl<D: Decoder<Error = Status>> Decoder for InvalidArgumentDecoder<D> {
    type Item = D::Item;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<Self::Item>, Status> {
        self.0.decode(buf).map_err(|status| match status.code() {
            Code::Internal => crate::errors::status(
                Code::InvalidArgument,
                format!(
                    "the request is not a valid dyad.v1 message ({}); string fields must be UTF-8, \
                     send raw page bytes in `html`",
                    status.message()
                ),
                crate::errors::Reason::MalformedMessage,
            ),
            _ => status,
        })
    }

    fn buffer_settings(&self) -> BufferSettings {
        self.0.buffer_settings()
    }
}
