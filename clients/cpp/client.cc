// A C++ client of Dyad, built from proto/ with protoc and grpc_cpp_plugin
// (Debian's libgrpc++): it ingests one article, lists the events in pages,
// reads the BadRequest detail of a bad request and follows WatchEvents for
// a few events. Usage: dyad-client INGEST_ADDR QUERY_ADDR ARTICLE_FILE
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

#include <grpcpp/grpcpp.h>

#include "dyad/v1/ingest_service.grpc.pb.h"
#include "dyad/v1/query_service.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace {

[[noreturn]] void Fail(const std::string& why) {
  std::cerr << "cpp client: " << why << std::endl;
  std::exit(1);
}

std::string ReadFile(const char* path) {
  std::ifstream in(path);
  if (!in) Fail(std::string("cannot read the article ") + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The field the BadRequest detail of `status` names, or "".
std::string ViolatedField(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad) && bad.field_violations_size() > 0) {
      return bad.field_violations(0).field();
    }
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) Fail("usage: dyad-client INGEST_ADDR QUERY_ADDR ARTICLE_FILE");
  auto ingest = dyad::v1::IngestService::NewStub(
      grpc::CreateChannel(argv[1], grpc::InsecureChannelCredentials()));
  auto query = dyad::v1::QueryService::NewStub(
      grpc::CreateChannel(argv[2], grpc::InsecureChannelCredentials()));

  // 1. Ingest one article.
  dyad::v1::IngestArticleRequest ingest_request;
  auto* article = ingest_request.mutable_article();
  article->set_id("cpp-client-article");
  article->set_url("https://example.org/cpp-client-article");
  article->set_outlet("C++ client");
  article->mutable_publish_time()->set_seconds(1715299200);  // 2024-05-10
  article->set_text(ReadFile(argv[3]));
  dyad::v1::IngestArticleResponse ingested;
  {
    grpc::ClientContext context;
    grpc::Status status = ingest->IngestArticle(&context, ingest_request, &ingested);
    if (!status.ok()) Fail("IngestArticle: " + status.error_message());
  }
  // ALREADY_KNOWN on a second run.
  if (ingested.outcome() == dyad::v1::INGEST_OUTCOME_INGESTED ? ingested.event_count() == 0
                                                              : ingested.outcome() !=
                                                                    dyad::v1::INGEST_OUTCOME_ALREADY_KNOWN) {
    Fail("IngestArticle: outcome " + dyad::v1::IngestOutcome_Name(ingested.outcome()) + " with " +
         std::to_string(ingested.event_count()) + " events");
  }

  // 2. List the events in pages of 3.
  std::set<std::string> seen;
  int pages = 0;
  std::string token;
  do {
    dyad::v1::ListEventsRequest request;
    request.set_page_size(3);
    request.set_page_token(token);
    dyad::v1::ListEventsResponse page;
    grpc::ClientContext context;
    grpc::Status status = query->ListEvents(&context, request, &page);
    if (!status.ok()) Fail("ListEvents: " + status.error_message());
    ++pages;
    for (const auto& event : page.events()) {
      if (!seen.insert(event.id()).second) Fail("ListEvents: event " + event.id() + " twice");
      if (event.source().code().empty() || event.cameo_code().empty()) {
        Fail("ListEvents: event " + event.id() + " has no source or code");
      }
    }
    token = page.next_page_token();
  } while (!token.empty());
  if (seen.empty() || pages < 2) {
    Fail("ListEvents: " + std::to_string(seen.size()) + " events on " + std::to_string(pages) +
         " pages");
  }

  // 3. A bad request: INVALID_ARGUMENT with a BadRequest naming the field.
  std::string field;
  {
    dyad::v1::ListEventsRequest request;
    request.set_page_size(-1);
    dyad::v1::ListEventsResponse page;
    grpc::ClientContext context;
    grpc::Status status = query->ListEvents(&context, request, &page);
    if (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
      Fail("a negative page size gave code " + std::to_string(status.error_code()));
    }
    field = ViolatedField(status);
    if (field != "page_size") Fail("the BadRequest detail names \"" + field + "\"");
  }

  // 4. Follow WatchEvents from the first event stored, for a few events.
  size_t watched = 0;
  {
    dyad::v1::WatchEventsRequest request;
    request.set_cursor("0");
    grpc::ClientContext context;
    auto reader = query->WatchEvents(&context, request);
    dyad::v1::WatchEventsResponse message;
    while (watched < 3 && watched < seen.size()) {
      if (!reader->Read(&message)) Fail("WatchEvents ended after " + std::to_string(watched));
      if (message.cursor().empty() || message.event().id().empty()) {
        Fail("WatchEvents sent an event without id or cursor");
      }
      ++watched;
    }
    context.TryCancel();
    reader->Finish();
  }

  std::cout << "cpp client: " << dyad::v1::IngestOutcome_Name(ingested.outcome()) << " with "
            << ingested.event_count() << " events, listed "
            << seen.size() << " on " << pages << " pages, BadRequest names " << field
            << ", watched " << watched << std::endl;
  return 0;
}
