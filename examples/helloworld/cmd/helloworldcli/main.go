// Command helloworldcli calls the helloworld service and prints its answer.
//
//	helloworldcli                                   # http://helloworld.minikube/
//	helloworldcli -url http://localhost:8080/
//	HELLOWORLD_URL=http://helloworld.minikube/ helloworldcli -healthz
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

var version = "dev"

func main() {
	def := os.Getenv("HELLOWORLD_URL")
	if def == "" {
		def = "http://helloworld.minikube/"
	}
	url := flag.String("url", def, "the service's base URL (env HELLOWORLD_URL)")
	healthz := flag.Bool("healthz", false, "call /healthz instead of /")
	showVersion := flag.Bool("version", false, "print the version and exit")
	timeout := flag.Duration("timeout", 5*time.Second, "give up after this long")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	if err := run(*url, *healthz, *timeout, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "helloworldcli:", err)
		os.Exit(1)
	}
}

func run(base string, healthz bool, timeout time.Duration, out io.Writer) error {
	path := ""
	if healthz {
		path = "healthz"
	}
	if len(base) == 0 || base[len(base)-1] != '/' {
		base += "/"
	}
	client := &http.Client{Timeout: timeout}
	resp, err := client.Get(base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", base+path, resp.Status)
	}
	if healthz {
		_, err = out.Write(body)
		return err
	}
	var greeting map[string]string
	if err := json.Unmarshal(body, &greeting); err != nil {
		return fmt.Errorf("unexpected answer from %s: %v", base, err)
	}
	_, err = fmt.Fprintf(out, "%s (version %s, from %s)\n", greeting["message"], greeting["version"], greeting["host"])
	return err
}
