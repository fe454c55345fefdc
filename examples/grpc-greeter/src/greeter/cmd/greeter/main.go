// Command greeter is a small gRPC service for trying devk8s with kind: grpc. It serves greeter.v1.Greeter and
// the standard health service (grpc.health.v1.Health, which the kubelet's grpc probes call) on PORT, server
// reflection (for grpcurl), and its metrics in the Prometheus text format at /metrics on METRICS_PORT.
//
//	GOPATH="$(pwd):/usr/share/gocode" GO111MODULE=off go build -o bin/greeter greeter/cmd/greeter
//	PORT=8080 METRICS_PORT=9090 GREETING=hello bin/greeter
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"

	"greeter/greeterpb"
)

// version is set at build time with -ldflags "-X=main.version=...".
var version = "dev"

// Config is everything the service reads from its environment.
type Config struct {
	Port         string // PORT, default 8080: gRPC
	MetricsPort  string // METRICS_PORT, default 9090: GET /metrics; empty string: no metrics listener
	Greeting     string // GREETING, default "hello"
	OTLPEndpoint string // OTEL_EXPORTER_OTLP_ENDPOINT, where traces would go; empty: none
	ServiceName  string // OTEL_SERVICE_NAME, default "greeter"
}

// ConfigFromEnv reads the configuration with its defaults.
func ConfigFromEnv(getenv func(string) string) Config {
	c := Config{
		Port:         getenv("PORT"),
		MetricsPort:  getenv("METRICS_PORT"),
		Greeting:     getenv("GREETING"),
		OTLPEndpoint: getenv("OTEL_EXPORTER_OTLP_ENDPOINT"),
		ServiceName:  getenv("OTEL_SERVICE_NAME"),
	}
	if c.Port == "" {
		c.Port = "8080"
	}
	if c.MetricsPort == "" {
		c.MetricsPort = "9090"
	}
	if c.Greeting == "" {
		c.Greeting = "hello"
	}
	if c.ServiceName == "" {
		c.ServiceName = "greeter"
	}
	return c
}

// Server implements greeter.v1.Greeter and counts its calls.
type Server struct {
	Config   Config
	Hostname string
	calls    uint64
	failures uint64
}

// SayHello greets the name; an empty name is an invalid argument.
func (s *Server) SayHello(ctx context.Context, req *greeterpb.HelloRequest) (*greeterpb.HelloReply, error) {
	atomic.AddUint64(&s.calls, 1)
	if req.GetName() == "" {
		atomic.AddUint64(&s.failures, 1)
		return nil, status.Error(codes.InvalidArgument, "name is empty")
	}
	return &greeterpb.HelloReply{
		Message: s.Config.Greeting + ", " + req.GetName(),
		Version: version,
		Host:    s.Hostname,
	}, nil
}

// Metrics serves the call counters in the Prometheus text format.
func (s *Server) Metrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintf(w, "# HELP greeter_requests_total SayHello calls.\n# TYPE greeter_requests_total counter\n")
	fmt.Fprintf(w, "greeter_requests_total %d\n", atomic.LoadUint64(&s.calls))
	fmt.Fprintf(w, "# HELP greeter_errors_total SayHello calls that failed.\n# TYPE greeter_errors_total counter\n")
	fmt.Fprintf(w, "greeter_errors_total %d\n", atomic.LoadUint64(&s.failures))
	fmt.Fprintf(w, "# HELP greeter_build_info The version the server was built with.\n# TYPE greeter_build_info gauge\n")
	fmt.Fprintf(w, "greeter_build_info{version=%q} 1\n", version)
}

// NewGRPCServer registers the greeter, the health service (serving) and reflection.
func NewGRPCServer(s *Server) (*grpc.Server, *health.Server) {
	g := grpc.NewServer()
	greeterpb.RegisterGreeterServer(g, s)
	h := health.NewServer()
	h.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	h.SetServingStatus("greeter.v1.Greeter", healthpb.HealthCheckResponse_SERVING)
	healthpb.RegisterHealthServer(g, h)
	reflection.Register(g)
	return g, h
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	c := ConfigFromEnv(os.Getenv)
	host, _ := os.Hostname()
	s := &Server{Config: c, Hostname: host}
	g, h := NewGRPCServer(s)

	lis, err := net.Listen("tcp", ":"+c.Port)
	if err != nil {
		log.Fatalf("greeter: %v", err)
	}
	metrics := &http.Server{Addr: ":" + c.MetricsPort, Handler: http.HandlerFunc(s.Metrics)}
	go func() {
		if err := metrics.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Fatalf("greeter: metrics: %v", err)
		}
	}()
	otlp := c.OTLPEndpoint
	if otlp == "" {
		otlp = "(none)"
	}
	log.Printf("greeter %s: gRPC on :%s, metrics on :%s/metrics, service %s, traces to %s", version, c.Port,
		c.MetricsPort, c.ServiceName, otlp)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-stop
		h.Shutdown() // the probes see NOT_SERVING while the calls in flight finish
		g.GracefulStop()
		_ = metrics.Close()
	}()
	if err := g.Serve(lis); err != nil {
		log.Fatalf("greeter: %v", err)
	}
}
