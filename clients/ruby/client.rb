# A Ruby client of Dyad, built from proto/ with grpc_tools_ruby_protoc
# (Debian's ruby-grpc): it ingests one article, lists the events in pages,
# reads the BadRequest detail of a bad request and follows WatchEvents for a
# few events. Usage: ruby -I GENERATED client.rb INGEST_ADDR QUERY_ADDR ARTICLE_FILE
require 'grpc'
require 'set'
require 'google/protobuf/well_known_types'
require 'google/rpc/status_pb'
require 'google/rpc/error_details_pb'
require 'dyad/v1/ingest_service_services_pb'
require 'dyad/v1/query_service_services_pb'

def fail_with(why)
  warn "ruby client: #{why}"
  exit 1
end

fail_with 'usage: client.rb INGEST_ADDR QUERY_ADDR ARTICLE_FILE' unless ARGV.size == 3
ingest_addr, query_addr, article_file = ARGV
ingest = Dyad::V1::IngestService::Stub.new(ingest_addr, :this_channel_is_insecure)
query = Dyad::V1::QueryService::Stub.new(query_addr, :this_channel_is_insecure)

# 1. Ingest one article.
article = Dyad::V1::Article.new(
  id: 'ruby-client-article',
  url: 'https://example.org/ruby-client-article',
  outlet: 'Ruby client',
  publish_time: Google::Protobuf::Timestamp.new(seconds: 1_715_299_200),
  text: File.read(article_file)
)
ingested = ingest.ingest_article(Dyad::V1::IngestArticleRequest.new(article: article))
# ALREADY_KNOWN on a second run.
ok = ingested.outcome == :INGEST_OUTCOME_ALREADY_KNOWN ||
     (ingested.outcome == :INGEST_OUTCOME_INGESTED && ingested.event_count.positive?)
fail_with "IngestArticle: #{ingested.outcome} with #{ingested.event_count} events" unless ok

# 2. List the events in pages of 3.
seen = Set.new
pages = 0
token = ''
loop do
  page = query.list_events(Dyad::V1::ListEventsRequest.new(page_size: 3, page_token: token))
  pages += 1
  page.events.each do |event|
    fail_with "ListEvents: event #{event.id} twice" unless seen.add?(event.id)
    fail_with "ListEvents: event #{event.id} has no source or code" if event.source.code.empty? || event.cameo_code.empty?
  end
  token = page.next_page_token
  break if token.empty?
end
if seen.empty? || pages < 2
  fail_with "ListEvents: #{seen.size} events on #{pages} pages"
end

# 3. A bad request: INVALID_ARGUMENT with a BadRequest naming the field.
field = nil
begin
  query.list_events(Dyad::V1::ListEventsRequest.new(page_size: -1))
  fail_with 'a negative page size was accepted'
rescue GRPC::InvalidArgument => e
  details = e.metadata['grpc-status-details-bin']
  fail_with 'the error has no details' if details.nil?
  status = Google::Rpc::Status.decode(details)
  status.details.each do |any|
    bad = any.unpack(Google::Rpc::BadRequest)
    field = bad.field_violations.first&.field if bad
  end
  fail_with "the BadRequest detail names #{field.inspect}" unless field == 'page_size'
end

# 4. Follow WatchEvents from the first event stored, for a few events.
watched = 0
call = query.watch_events(Dyad::V1::WatchEventsRequest.new(cursor: '0'), return_op: true)
stream = call.execute
stream.each do |message|
  fail_with 'WatchEvents sent an event without id or cursor' if message.cursor.empty? || message.event.id.empty?
  watched += 1
  break if watched >= 3 || watched >= seen.size
end
call.cancel
fail_with "WatchEvents sent #{watched} events" if watched.zero?

puts "ruby client: #{ingested.outcome} with #{ingested.event_count} events, listed #{seen.size} on #{pages} pages, " \
     "BadRequest names #{field}, watched #{watched}"
