// A Go client of Dyad, built from proto/ with protoc-gen-go and
// protoc-gen-go-grpc: it ingests one article, lists the events in pages,
// reads the BadRequest detail of a bad request and follows WatchEvents
// for a few events. Usage: dyad-client INGEST_ADDR QUERY_ADDR ARTICLE_FILE
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	dyadv1 "github.com/dyad-events/dyad/gen/go/dyad/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "go client: "+format+"\n", args...)
	os.Exit(1)
}

func dial(ctx context.Context, addr string) *grpc.ClientConn {
	conn, err := grpc.DialContext(ctx, addr, grpc.WithInsecure(), grpc.WithBlock())
	if err != nil {
		fail("cannot reach %s: %v", addr, err)
	}
	return conn
}

func main() {
	if len(os.Args) != 4 {
		fail("usage: dyad-client INGEST_ADDR QUERY_ADDR ARTICLE_FILE")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	text, err := os.ReadFile(os.Args[3])
	if err != nil {
		fail("cannot read the article: %v", err)
	}
	ingest := dyadv1.NewIngestServiceClient(dial(ctx, os.Args[1]))
	query := dyadv1.NewQueryServiceClient(dial(ctx, os.Args[2]))

	// 1. Ingest one article.
	published := time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)
	ingested, err := ingest.IngestArticle(ctx, &dyadv1.IngestArticleRequest{Article: &dyadv1.Article{
		Id:          "go-client-article",
		Url:         "https://example.org/go-client-article",
		Outlet:      "Go client",
		PublishTime: timestamppb.New(published),
		Text:        string(text),
	}})
	if err != nil {
		fail("IngestArticle: %v", err)
	}
	switch ingested.Outcome {
	case dyadv1.IngestOutcome_INGEST_OUTCOME_INGESTED:
		if ingested.EventCount == 0 {
			fail("IngestArticle: no event coded")
		}
	case dyadv1.IngestOutcome_INGEST_OUTCOME_ALREADY_KNOWN: // a second run
	default:
		fail("IngestArticle: outcome %v", ingested.Outcome)
	}

	// 2. List the events in pages of 3.
	seen := map[string]bool{}
	pages := 0
	token := ""
	for {
		page, err := query.ListEvents(ctx, &dyadv1.ListEventsRequest{PageSize: 3, PageToken: token})
		if err != nil {
			fail("ListEvents: %v", err)
		}
		pages++
		for _, event := range page.Events {
			if seen[event.Id] {
				fail("ListEvents: event %s on two pages", event.Id)
			}
			if event.Source.GetCode() == "" || event.CameoCode == "" {
				fail("ListEvents: event %s has no source or code", event.Id)
			}
			seen[event.Id] = true
		}
		if page.NextPageToken == "" {
			break
		}
		token = page.NextPageToken
	}
	if len(seen) == 0 || pages < 2 {
		fail("ListEvents: %d events on %d pages", len(seen), pages)
	}

	// 3. A bad request: INVALID_ARGUMENT with a BadRequest naming the field.
	_, err = query.ListEvents(ctx, &dyadv1.ListEventsRequest{PageSize: -1})
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument {
		fail("a negative page size gave %v", st.Code())
	}
	field := ""
	for _, detail := range st.Details() {
		if bad, ok := detail.(*errdetails.BadRequest); ok && len(bad.FieldViolations) > 0 {
			field = bad.FieldViolations[0].Field
		}
	}
	if field != "page_size" {
		fail("the BadRequest detail names %q, not page_size (details: %v)", field, st.Details())
	}

	// 4. Follow WatchEvents from the first event stored, for a few events.
	watchCtx, stop := context.WithCancel(ctx)
	watch, err := query.WatchEvents(watchCtx, &dyadv1.WatchEventsRequest{Cursor: "0"})
	if err != nil {
		fail("WatchEvents: %v", err)
	}
	watched := 0
	for watched < 3 && watched < len(seen) {
		message, err := watch.Recv()
		if err == io.EOF || err != nil {
			fail("WatchEvents ended after %d events: %v", watched, err)
		}
		if message.Cursor == "" || message.Event.GetId() == "" {
			fail("WatchEvents sent an event without id or cursor")
		}
		watched++
	}
	stop()

	fmt.Printf("go client: %v with %d events, listed %d on %d pages, BadRequest names %s, watched %d\n",
		ingested.Outcome, ingested.EventCount, len(seen), pages, field, watched)
}
