//! `GetEvent` and `GetArticle`: one event with a page of its mentions, one
//! article with a page of its events. However often an event is reported
//! or however many events an article holds, no answer outgrows the message
//! limit: the rest is a page token away.

use dyad_proto::v1::{GetArticleRequest, GetArticleResponse, GetEventRequest, GetEventResponse};
use dyad_store::{ANSWER_BYTES, fitting};
use prost::Message;

use crate::{Querier, error::QueryError, page_token, request};

/// Mentions per answer when the request gives no size.
pub const DEFAULT_MENTIONS: usize = 100;
/// Events per answer when the request gives no size.
pub const DEFAULT_ARTICLE_EVENTS: usize = 100;
/// Largest page of mentions or events.
pub const MAX_PAGE: usize = 1000;

impl Querier {
    /// The event `request.id` names, with one page of its mentions.
    pub(crate) async fn event_with_mentions(
        &self,
        request: GetEventRequest,
    ) -> Result<GetEventResponse, QueryError> {
        let id = request.id.as_str();
        let limit = request::limit(
            "mention_page_size",
            request.mention_page_size,
            DEFAULT_MENTIONS,
            MAX_PAGE,
        )?;
        let after =
            page_token::mention_cursor_of("mention_page_token", &request.mention_page_token, id)?;
        let not_found = || QueryError::NotFound(format!("no event with id {}", request::shown(id)));
        if !storable(id) {
            return Err(not_found());
        }
        let mut event = self.store.get_event(id).await?.ok_or_else(not_found)?;
        let page = self.store.event_mentions(id, after.as_ref(), limit).await?;
        event.mentions = page.mentions;
        Ok(GetEventResponse {
            event: Some(event),
            next_mention_page_token: page
                .next
                .map(|cursor| page_token::encode_mention(&cursor, id))
                .unwrap_or_default(),
        })
    }

    /// The article `request.id` names, with one page of its events.
    pub(crate) async fn article_with_events(
        &self,
        request: GetArticleRequest,
    ) -> Result<GetArticleResponse, QueryError> {
        let id = request.id.as_str();
        let limit = request::limit(
            "page_size",
            request.page_size,
            DEFAULT_ARTICLE_EVENTS,
            MAX_PAGE,
        )?;
        let offset = page_token::offset_of("page_token", &request.page_token, id)?;
        let not_found =
            || QueryError::NotFound(format!("no article with id {}", request::shown(id)));
        if !storable(id) {
            return Err(not_found());
        }
        let (article, events) = self.store.get_article(id).await?.ok_or_else(not_found)?;
        // Of the page asked for, what fits beside the article itself.
        let sizes = events
            .iter()
            .skip(offset)
            .take(limit)
            .map(Message::encoded_len);
        let room = ANSWER_BYTES.saturating_sub(article.encoded_len());
        let fits = fitting(sizes, room);
        let (page, next_page_token) = page_token::page_of(events, offset, fits, id);
        Ok(GetArticleResponse {
            article: Some(article),
            events: page,
            next_page_token,
        })
    }
}

/// Whether `id` could name something stored: ingestion refuses ids with
/// control characters (a NUL among them, which PostgreSQL cannot even
/// compare), so such an id is answered NOT_FOUND without asking the store.
fn storable(id: &str) -> bool {
    !id.chars().any(char::is_control)
}
