// Command greetercli calls the greeter service and prints its answer.
//
//	greetercli -addr greeter.minikube:80 -name devk8s   # through the stack's Traefik (h2c)
//	greetercli -addr localhost:8080 -health             # the health service, as the kubelet's probe does
//	greetercli -addr dns:///greeter.default.svc.cluster.local:8080 -n 10   # per pod, from inside the cluster
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"greeter/greeterpb"
)

var version = "dev"

func main() {
	def := os.Getenv("GREETER_ADDR")
	if def == "" {
		def = "greeter.minikube:80"
	}
	addr := flag.String("addr", def, "the server's address, host:port or dns:///host:port (env GREETER_ADDR)")
	name := flag.String("name", "world", "the name to greet")
	count := flag.Int("n", 1, "how many calls (with dns:/// they are balanced round robin over the pods)")
	checkHealth := flag.Bool("health", false, "call grpc.health.v1.Health/Check instead of SayHello")
	showVersion := flag.Bool("version", false, "print the version and exit")
	timeout := flag.Duration("timeout", 5*time.Second, "give up after this long")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	if err := run(*addr, *name, *count, *checkHealth, *timeout, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "greetercli:", err)
		os.Exit(1)
	}
}

func run(addr, name string, count int, checkHealth bool, timeout time.Duration, out io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := grpc.DialContext(ctx, addr, grpc.WithInsecure(), grpc.WithBlock(),
		grpc.WithDefaultServiceConfig(`{"loadBalancingConfig": [{"round_robin":{}}]}`))
	if err != nil {
		return fmt.Errorf("%s: %v", addr, err)
	}
	defer conn.Close()
	if checkHealth {
		resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{})
		if err != nil {
			return err
		}
		fmt.Fprintln(out, resp.GetStatus())
		return nil
	}
	client := greeterpb.NewGreeterClient(conn)
	for i := 0; i < count; i++ {
		reply, err := client.SayHello(ctx, &greeterpb.HelloRequest{Name: name})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s (version %s, host %s)\n", reply.GetMessage(), reply.GetVersion(), reply.GetHost())
	}
	return nil
}
