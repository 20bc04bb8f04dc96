package vaulttest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

func TestRecording(t *testing.T) {
	var observed []Request
	var mu sync.Mutex
	w := newWorld(t, WithObserver(func(r Request) { mu.Lock(); observed = append(observed, r); mu.Unlock() }))
	_, err := w.sts(user("alice")).AssumeRole(ctx(t), &sts.AssumeRoleInput{
		RoleArn: aws.String(AdminRoleARN), RoleSessionName: aws.String("rec"), DurationSeconds: aws.Int32(1800),
		ExternalId: aws.String("ext"), SerialNumber: aws.String(AliceMFASerial), TokenCode: aws.String(FixtureStaticMFACode)})
	noErr(t, err)
	reqs := w.aws.Requests()
	if len(reqs) != 1 {
		t.Fatalf("requests = %+v", reqs)
	}
	r := reqs[0]
	want := Request{Time: r.Time, Host: r.Host, Service: "sts", Action: "AssumeRole", AccessKeyID: AliceAccessKeyID,
		Region: "us-east-1", MFA: true, DurationSeconds: 1800, Code: "OK", Status: 200}
	if r.Params["RoleArn"] != AdminRoleARN || r.Params["RoleSessionName"] != "rec" ||
		r.Params["ExternalId"] != "ext" || r.Params["SerialNumber"] != AliceMFASerial {
		t.Errorf("params = %v", r.Params)
	}
	if _, leaked := r.Params["TokenCode"]; leaked {
		t.Error("TokenCode recorded")
	}
	r.Params = nil
	if fmt.Sprint(r) != fmt.Sprint(want) {
		t.Errorf("got  %+v\nwant %+v", r, want)
	}
	if len(observed) != 1 || w.aws.Count("AssumeRole") != 1 || w.aws.CountOK("AssumeRole") != 1 {
		t.Errorf("observed %d, count %d", len(observed), w.aws.Count("AssumeRole"))
	}
	w.aws.Reset()
	if len(w.aws.Requests()) != 0 {
		t.Error("Reset kept requests")
	}
}

func TestFaults(t *testing.T) {
	w := newWorld(t)
	w.aws.Fault("GetCallerIdentity", FaultSpec{Status: 400, Code: "Throttling", Times: 1})
	wantAPIError(t, callerIdentity(t, w, user("bob")), 400, "Throttling", "Rate exceeded")
	noErr(t, callerIdentity(t, w, user("bob")))

	w.aws.Fault("GetSessionToken", FaultSpec{Status: 503, Times: 2})
	for range 2 {
		_, err := w.sts(user("bob")).GetSessionToken(ctx(t), &sts.GetSessionTokenInput{})
		wantAPIError(t, err, 503, "ServiceUnavailable", "")
	}
	_, err := w.sts(user("bob")).GetSessionToken(ctx(t), &sts.GetSessionTokenInput{})
	noErr(t, err)

	w.aws.Fault("GetCallerIdentity", FaultSpec{ResetConnection: true})
	err = callerIdentity(t, w, user("bob"))
	var ae smithy.APIError
	if err == nil || errors.As(err, &ae) {
		t.Errorf("reset connection: %v", err)
	}
	w.aws.Fault("GetCallerIdentity", FaultSpec{MalformedBody: true, Times: 1})
	if err := callerIdentity(t, w, user("bob")); err == nil {
		t.Error("malformed body parsed")
	}
	w.aws.Fault("GetCallerIdentity", FaultSpec{Latency: 200 * time.Millisecond, Times: 1})
	start := time.Now()
	noErr(t, callerIdentity(t, w, user("bob")))
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("latency %v", d)
	}
	codes := ""
	for _, r := range w.aws.RequestsFor("GetCallerIdentity") {
		codes += r.Code + " "
	}
	if codes != "Throttling OK ConnectionReset MalformedBody OK " {
		t.Errorf("recorded codes %q", codes)
	}
}

func TestConcurrentClients(t *testing.T) {
	w := newWorld(t)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := user([]string{"bob", "carol", "erin"}[i%3])
			out, err := w.sts(k).GetSessionToken(ctx(t), &sts.GetSessionTokenInput{})
			if err == nil {
				_, err = w.sts(temp(out.Credentials)).GetCallerIdentity(ctx(t), &sts.GetCallerIdentityInput{})
			}
			errs <- err
			_ = w.aws.Requests()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		noErr(t, err)
	}
	if n := w.aws.CountOK("GetCallerIdentity"); n != 50 {
		t.Errorf("GetCallerIdentity OK = %d", n)
	}
	if n := len(w.aws.IssuedCredentials()); n != 50 {
		t.Errorf("issued = %d", n)
	}
}
