package notify_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// robotRequest is what a robot server received.
type robotRequest struct {
	Method, Path, RawQuery, ContentType string
	Body                                string
}

// robotServer stands in for a robot's webhook: it records each request and
// answers with status and answer. It speaks https, with a client that trusts
// it, unless plain is set.
type robotServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []robotRequest
}

func startRobotServer(t *testing.T, plain bool, status int, answer string) *robotServer {
	t.Helper()
	s := &robotServer{}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.requests = append(s.requests, robotRequest{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"), string(body)})
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	})
	if plain {
		s.Server = httptest.NewServer(handler)
	} else {
		s.Server = httptest.NewTLSServer(handler)
	}
	t.Cleanup(s.Close)
	return s
}

// startSlowRobot answers only after the client has given up.
func startSlowRobot(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Once the body is read, the server notices the client hanging up.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func (s *robotServer) received() []robotRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]robotRequest(nil), s.requests...)
}

// only returns the one request the server received.
func (s *robotServer) only(t *testing.T) robotRequest {
	t.Helper()
	got := s.received()
	if len(got) != 1 {
		t.Fatalf("robot received %d requests, want 1", len(got))
	}
	return got[0]
}

const okAnswer = `{"errcode":0,"errmsg":"ok"}`
