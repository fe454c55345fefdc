package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestConfigDefaults(t *testing.T) {
	c := ConfigFromEnv(func(string) string { return "" })
	if c.Port != "8080" || c.Greeting != "hello" || c.ServiceName != "helloworld" || c.OTLPEndpoint != "" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestGreetingAndHealth(t *testing.T) {
	env := map[string]string{"GREETING": "hi", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://jaeger:4318"}
	c := ConfigFromEnv(func(k string) string { return env[k] })
	if c.OTLPEndpoint != "http://jaeger:4318" {
		t.Fatalf("OTLP endpoint not read: %+v", c)
	}
	srv := httptest.NewServer(Handler(c, "pod-1"))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body["message"] != "hi, world" || body["host"] != "pod-1" || body["version"] != version {
		t.Fatalf("unexpected body: %v", body)
	}

	health, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	health.Body.Close()
	if health.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %d", health.StatusCode)
	}

	missing, err := http.Get(srv.URL + "/nope")
	if err != nil {
		t.Fatal(err)
	}
	missing.Body.Close()
	if missing.StatusCode != http.StatusNotFound {
		t.Fatalf("/nope: %d", missing.StatusCode)
	}
}
