// Command helloworld is a small HTTP service for trying devk8s: it answers on / and /healthz, takes its
// configuration from the environment and reports the version it was built with.
//
//	go build -ldflags "-X=main.version=$(git describe --tags --always)" -o bin/helloworld ./cmd/helloworld
//	PORT=8080 GREETING=hello bin/helloworld
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// version is set at build time with -ldflags "-X=main.version=...".
var version = "dev"

// Config is everything the service reads from its environment.
type Config struct {
	Port         string // PORT, default 8080
	Greeting     string // GREETING, default "hello"
	OTLPEndpoint string // OTEL_EXPORTER_OTLP_ENDPOINT, where traces would go; empty: none
	ServiceName  string // OTEL_SERVICE_NAME, default "helloworld"
}

// ConfigFromEnv reads the configuration with its defaults.
func ConfigFromEnv(getenv func(string) string) Config {
	c := Config{
		Port:         getenv("PORT"),
		Greeting:     getenv("GREETING"),
		OTLPEndpoint: getenv("OTEL_EXPORTER_OTLP_ENDPOINT"),
		ServiceName:  getenv("OTEL_SERVICE_NAME"),
	}
	if c.Port == "" {
		c.Port = "8080"
	}
	if c.Greeting == "" {
		c.Greeting = "hello"
	}
	if c.ServiceName == "" {
		c.ServiceName = "helloworld"
	}
	return c
}

// Handler serves / (a JSON greeting with the version and host name) and /healthz.
func Handler(c Config, hostname string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{
			"message": c.Greeting + ", world",
			"version": version,
			"host":    hostname,
			"service": c.ServiceName,
		})
	})
	return mux
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}

	c := ConfigFromEnv(os.Getenv)
	hostname, _ := os.Hostname()
	if c.OTLPEndpoint != "" {
		log.Printf("traces of %s go to %s", c.ServiceName, c.OTLPEndpoint)
	}
	srv := &http.Server{
		Addr:              ":" + c.Port,
		Handler:           Handler(c, hostname),
		ReadHeaderTimeout: 10 * time.Second,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()

	log.Printf("helloworld %s listening on :%s", version, c.Port)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
