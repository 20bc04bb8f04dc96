package server

import (
	"fmt"
	"net"
	"net/http"
)

// metadataIP is 169.254.169.254 parsed.
var metadataIP = net.ParseIP(MetadataIP)

// clientAllowed reports whether the EC2 metadata endpoint may answer a
// client at ip: loopback (127.0.0.0/8, ::1), or 169.254.169.254 itself,
// which is the source address of a local request to the aliased
// endpoint. Any other source, the machine's other addresses included, is
// a host on the network that routed a packet to 169.254.169.254 through
// this one (https://developer.apple.com/library/archive/qa/qa1357/).
func clientAllowed(ip net.IP) bool {
	return ip.IsLoopback() || ip.Equal(metadataIP)
}

// checkClient answers 401 and returns false unless r comes from an
// allowed source.
func checkClient(w http.ResponseWriter, r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return false
	}
	if ip := net.ParseIP(host); ip == nil || !clientAllowed(ip) {
		http.Error(w, "Access denied from non-localhost address", http.StatusUnauthorized)
		return false
	}
	return true
}

// checkHost answers 401 and returns false unless r was sent to
// 169.254.169.254: a web page that rebinds its own name to that address
// (DNS rebinding) sends its own name as Host
// (https://github.com/99designs/aws-vault/issues/578).
func checkHost(w http.ResponseWriter, r *http.Request) bool {
	if r.Host != MetadataIP && r.Host != MetadataAddr {
		http.Error(w, fmt.Sprintf("Access denied for host '%s'", r.Host), http.StatusUnauthorized)
		return false
	}
	return true
}
