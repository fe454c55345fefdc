package main

import (
	"context"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"greeter/greeterpb"
)

func TestConfigDefaults(t *testing.T) {
	c := ConfigFromEnv(func(string) string { return "" })
	if c.Port != "8080" || c.MetricsPort != "9090" || c.Greeting != "hello" || c.ServiceName != "greeter" {
		t.Fatalf("defaults: %+v", c)
	}
}

// The greeter and the health service over a real gRPC connection (in memory).
func TestSayHelloAndHealth(t *testing.T) {
	s := &Server{Config: ConfigFromEnv(func(k string) string {
		if k == "GREETING" {
			return "hi"
		}
		return ""
	}), Hostname: "pod-1"}
	g, _ := NewGRPCServer(s)
	lis := bufconn.Listen(1 << 20)
	go g.Serve(lis)
	defer g.Stop()
	conn, err := grpc.Dial("bufnet", grpc.WithInsecure(),
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.Dial() }))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()

	reply, err := greeterpb.NewGreeterClient(conn).SayHello(ctx, &greeterpb.HelloRequest{Name: "devk8s"})
	if err != nil {
		t.Fatal(err)
	}
	if reply.GetMessage() != "hi, devk8s" || reply.GetHost() != "pod-1" || reply.GetVersion() != version {
		t.Fatalf("reply: %+v", reply)
	}
	_, err = greeterpb.NewGreeterClient(conn).SayHello(ctx, &greeterpb.HelloRequest{})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("empty name: %v", err)
	}

	health, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil || health.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health: %v %v", health, err)
	}

	rec := httptest.NewRecorder()
	s.Metrics(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	if !strings.Contains(body, "greeter_requests_total 2\n") || !strings.Contains(body, "greeter_errors_total 1\n") {
		t.Fatalf("metrics:\n%s", body)
	}
}
