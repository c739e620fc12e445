//! Messages kept in their wire encoding: an answer encoded once is written
//! to every caller that asks for it again, without copying or encoding it
//! anew.

use std::{fmt, marker::PhantomData};

use ::bytes::{Buf, BufMut, Bytes, BytesMut};
use prost::{
    DecodeError, Message,
    encoding::{
        DecodeContext, WireType, bytes, decode_varint, encode_key, encode_varint, fixed32, fixed64,
        skip_field,
    },
};

/// The encoding of a message of type `M`. Cloning it shares the bytes.
pub struct Encoded<M> {
    bytes: Bytes,
    message: PhantomData<fn() -> M>,
}

impl<M: Message> Encoded<M> {
    /// Encodes `message`.
    pub fn new(message: &M) -> Self {
        Self::from_bytes(Bytes::from(message.encode_to_vec()))
    }
}

impl<M> Encoded<M> {
    /// The encoding `bytes`, taken to be a message of type `M`.
    pub fn from_bytes(bytes: Bytes) -> Self {
        Self {
            bytes,
            message: PhantomData,
        }
    }

    /// The encoded bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }
}

impl<M: Message + Default> Encoded<M> {
    /// The message, decoded.
    pub fn message(&self) -> Result<M, DecodeError> {
        M::decode(self.bytes.clone())
    }
}

impl<M> Clone for Encoded<M> {
    fn clone(&self) -> Self {
        Self::from_bytes(self.bytes.clone())
    }
}

impl<M> Default for Encoded<M> {
    fn default() -> Self {
        Self::from_bytes(Bytes::new())
    }
}

impl<M> PartialEq for Encoded<M> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl<M> fmt::Debug for Encoded<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Encoded<{}>({} bytes)",
            std::any::type_name::<M>(),
            self.bytes.len()
        )
    }
}

/// Written as the bytes it holds; read by keeping each field's encoding as
/// it arrives, so what is read is written back unchanged.
impl<M> Message for Encoded<M> {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        buf.put_slice(&self.bytes);
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        // Appended in place when the bytes are not shared.
        let mut field = BytesMut::from(std::mem::take(&mut self.bytes));
        match wire_type {
            WireType::Varint => {
                let value = decode_varint(buf)?;
                encode_key(tag, wire_type, &mut field);
                encode_varint(value, &mut field);
            }
            WireType::SixtyFourBit => {
                let mut value = 0u64;
                fixed64::merge(wire_type, &mut value, buf, ctx)?;
                encode_key(tag, wire_type, &mut field);
                field.put_u64_le(value);
            }
            WireType::ThirtyTwoBit => {
                let mut value = 0u32;
                fixed32::merge(wire_type, &mut value, buf, ctx)?;
                encode_key(tag, wire_type, &mut field);
                field.put_u32_le(value);
            }
            WireType::LengthDelimited => {
                let mut value = Bytes::new();
                bytes::merge(wire_type, &mut value, buf, ctx)?;
                encode_key(tag, wire_type, &mut field);
                encode_varint(value.len() as u64, &mut field);
                field.put_slice(&value);
            }
            // Groups are not used by dyad.v1: skipped, as prost skips them.
            WireType::StartGroup | WireType::EndGroup => skip_field(wire_type, tag, buf, ctx)?,
        }
        self.bytes = field.freeze();
        Ok(())
    }

    fn encoded_len(&self) -> usize {
        self.bytes.len()
    }

    fn clear(&mut self) {
        self.bytes = Bytes::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_proto::v1::{Event, ListEventsResponse};

    fn page() -> ListEventsResponse {
        ListEventsResponse {
            events: vec![Event {
                id: "ev_1".into(),
                goldstein: -4.5,
                quad_class: 3,
                ..Default::default()
            }],
            next_page_token: "next".into(),
        }
    }

    #[test]
    fn writes_the_message_it_was_made_from() {
        let encoded = Encoded::new(&page());
        assert_eq!(encoded.encode_to_vec(), page().encode_to_vec());
        assert_eq!(encoded.encoded_len(), page().encoded_len());
        assert_eq!(encoded.message().unwrap(), page());
    }

    #[test]
    fn reads_back_what_it_writes() {
        let wire = page().encode_to_vec();
        let read = Encoded::<ListEventsResponse>::decode(&wire[..]).unwrap();
        assert_eq!(read.bytes().as_ref(), wire);
        assert!(Encoded::<ListEventsResponse>::decode(&wire[..wire.len() - 1]).is_err());
        // Every wire type of a message's own fields: strings, varints, doubles.
        let event = page().events.remove(0);
        let read = Encoded::<Event>::decode(&event.encode_to_vec()[..]).unwrap();
        assert_eq!(read.message().unwrap(), event);
    }
}
