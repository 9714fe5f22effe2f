// Command kubelet-streaming is the front of fakekube's node agent: the kubelet API that
// kube-apiserver proxies pod logs, exec and attach to, served over HTTPS as a kubelet serves it.
//
// Exec and attach arrive in the protocol kube-apiserver speaks to kubelets (SPDY/3.1, or a
// websocket from an old client, through the kubelet's own streaming server package
// k8s.io/kubelet/pkg/cri/streaming/remotecommand). Each session is passed on, stream for
// stream, to the node agent as a v5.channel.k8s.io websocket (client-go's websocket executor),
// so the agent runs the command and the exit code comes back as kubelets report it. Logs are
// passed through unchanged. No Kubernetes behaviour is reimplemented here.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/types"
	protocol "k8s.io/apimachinery/pkg/util/remotecommand"
	restclient "k8s.io/client-go/rest"
	clientremote "k8s.io/client-go/tools/remotecommand"
	streaming "k8s.io/kubelet/pkg/cri/streaming/remotecommand"
)

// The protocols a kubelet offers for exec and attach, as the kubelet does
// (SupportedStreamingProtocols: the streaming package has no v5 over SPDY; kube-apiserver
// speaks v5 to websocket clients and v4 to the kubelet).
var protocols = protocol.SupportedStreamingProtocols

const (
	idleTimeout           = 4 * time.Hour
	streamCreationTimeout = 30 * time.Second
)

// agent passes sessions on to the node agent's API (fakekube's pod exec and attach).
type agent struct{ base *url.URL }

// target is one container of one pod, from a kubelet path.
type target struct{ ns, pod, container string }

// parse reads `/{verb}/{ns}/{pod}/{container}` or `/{verb}/{ns}/{pod}/{uid}/{container}`.
func parse(path, verb string) (target, bool) {
	parts := strings.Split(strings.TrimPrefix(path, "/"+verb+"/"), "/")
	switch len(parts) {
	case 3:
		return target{parts[0], parts[1], parts[2]}, true
	case 4:
		return target{parts[0], parts[1], parts[3]}, true
	}
	return target{}, false
}

// upstream is the agent's URL for a pod subresource with its query.
func (a agent) upstream(t target, sub string, q url.Values) string {
	u := *a.base
	u.Path = fmt.Sprintf("/api/v1/namespaces/%s/pods/%s/%s", url.PathEscape(t.ns), url.PathEscape(t.pod), sub)
	u.RawQuery = q.Encode()
	return u.String()
}

// stream runs one session against the agent.
func (a agent) stream(ctx context.Context, t target, sub string, cmd []string, in io.Reader, out, errw io.WriteCloser, tty bool, resize <-chan clientremote.TerminalSize) error {
	q := url.Values{}
	q.Set("container", t.container)
	for _, c := range cmd {
		q.Add("command", c)
	}
	opts := clientremote.StreamOptions{Tty: tty}
	if in != nil {
		q.Set("stdin", "true")
		opts.Stdin = in
	}
	if out != nil {
		q.Set("stdout", "true")
		opts.Stdout = out
	}
	if errw != nil {
		q.Set("stderr", "true")
		opts.Stderr = errw
	}
	if tty {
		q.Set("tty", "true")
		opts.TerminalSizeQueue = sizes(resize)
	}
	exec, err := clientremote.NewWebSocketExecutor(&restclient.Config{Host: a.base.String()}, "GET", a.upstream(t, sub, q))
	if err != nil {
		return err
	}
	return exec.StreamWithContext(ctx, opts)
}

type sizes <-chan clientremote.TerminalSize

func (s sizes) Next() *clientremote.TerminalSize {
	size, ok := <-s
	if !ok {
		return nil
	}
	return &size
}

type execer struct{ agent }

func (e execer) ExecInContainer(ctx context.Context, name string, _ types.UID, container string, cmd []string, in io.Reader, out, errw io.WriteCloser, tty bool, resize <-chan clientremote.TerminalSize, _ time.Duration) error {
	ns, pod, _ := strings.Cut(name, "/")
	return e.stream(ctx, target{ns, pod, container}, "exec", cmd, in, out, errw, tty, resize)
}

type attacher struct{ agent }

func (a attacher) AttachContainer(ctx context.Context, name string, _ types.UID, container string, in io.Reader, out, errw io.WriteCloser, tty bool, resize <-chan clientremote.TerminalSize) error {
	ns, pod, _ := strings.Cut(name, "/")
	return a.stream(ctx, target{ns, pod, container}, "attach", nil, in, out, errw, tty, resize)
}

// session reads an exec or attach request's container and streams, refusing a bad path (404)
// or streams (400), and serves it with serve.
func session(verb string, serve func(http.ResponseWriter, *http.Request, target, *streaming.Options)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, ok := parse(r.URL.Path, verb)
		if !ok {
			http.NotFound(w, r)
			return
		}
		opts, err := streaming.NewOptions(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		serve(w, r, t, opts)
	}
}

func (a agent) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	mux.HandleFunc("/exec/", session("exec", func(w http.ResponseWriter, r *http.Request, t target, opts *streaming.Options) {
		cmd := r.URL.Query()["command"]
		streaming.ServeExec(w, r, execer{a}, t.ns+"/"+t.pod, "", t.container, cmd, opts, idleTimeout, streamCreationTimeout, protocols)
	}))
	mux.HandleFunc("/attach/", session("attach", func(w http.ResponseWriter, r *http.Request, t target, opts *streaming.Options) {
		streaming.ServeAttach(w, r, attacher{a}, t.ns+"/"+t.pod, "", t.container, opts, idleTimeout, streamCreationTimeout, protocols)
	}))
	logs := &httputil.ReverseProxy{
		FlushInterval: -1, // followers see each line as it comes
		Rewrite: func(pr *httputil.ProxyRequest) {
			t, _ := parse(pr.In.URL.Path, "containerLogs")
			q := pr.In.URL.Query()
			q.Set("container", t.container)
			u, _ := url.Parse(a.upstream(t, "log", q))
			pr.Out.URL = u
			pr.Out.Host = u.Host
		},
	}
	mux.HandleFunc("/containerLogs/", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := parse(r.URL.Path, "containerLogs"); !ok {
			http.NotFound(w, r)
			return
		}
		logs.ServeHTTP(w, r)
	})
	return mux
}

// selfSigned is a serving certificate for 127.0.0.1 (kube-apiserver checks none unless it is
// given --kubelet-certificate-authority).
func selfSigned() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "fakekube-node"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to serve the kubelet API on")
	backend := flag.String("agent", "", "the node agent's API (http://127.0.0.1:PORT)")
	flag.Parse()
	base, err := url.Parse(*backend)
	if err != nil || base.Host == "" {
		log.Fatalf("--agent must be the node agent's URL, got %q", *backend)
	}
	cert, err := selfSigned()
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	// The agent reads the port from the first line.
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	_ = os.Stdout.Sync()
	srv := &http.Server{
		Handler:           agent{base}.routes(),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 30 * time.Second,
	}
	log.Fatal(srv.ServeTLS(ln, "", ""))
}
