package vault

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go/middleware"
	"github.com/awsvault/aws-vault/vault/config"
)

// maxClockSkew is how far this computer's clock may differ from the Date of
// an AWS answer before we call it wrong (AWS refuses signatures more than 5
// minutes off; a minute is already worth mentioning).
const maxClockSkew = time.Minute

// issued converts the credentials STS issued to p in answer to action, and
// refuses them when they have already expired by our clock: handed out or
// cached they would only fail later. Such an answer usually means this
// computer's clock is wrong, so the error compares it with the answer's
// Date header.
func (b *builder) issued(p *config.Profile, action string, c *ststypes.Credentials, meta middleware.Metadata, kind string) (aws.Credentials, error) {
	return issuedTo("profile "+p.ProfileName, action, c, meta, kind, b.chain.opts.Now())
}

// issuedTo is issued for the STS calls outside the chain (login's
// GetFederationToken, rotate's MFA session): who names whose credentials
// they are in the error ("profile NAME").
func issuedTo(who, action string, c *ststypes.Credentials, meta middleware.Metadata, kind string, now time.Time) (aws.Credentials, error) {
	creds, err := fromSTS(c, kind)
	if err != nil {
		return creds, err
	}
	if creds.Expires.After(now) {
		return creds, nil
	}
	err = fmt.Errorf("%s: %s answered with credentials that expired at %s, before this computer's time %s; not using them",
		who, action, rfc3339(creds.Expires), rfc3339(now))
	return aws.Credentials{}, &HintedError{Err: err, Hint: clockHint(now, meta)}
}

// clockHint compares now with the Date header of an AWS answer.
func clockHint(now time.Time, meta middleware.Metadata) string {
	server, ok := awsmiddleware.GetServerTime(meta)
	if !ok {
		return "this computer's clock may be wrong (the answer carried no Date header to compare with); check it and try again"
	}
	skew := now.Sub(server)
	if skew.Abs() <= maxClockSkew {
		return fmt.Sprintf("the answer's Date header (%s) agrees with this computer's clock, so AWS or a proxy in between sent expired credentials; if the clock may still be wrong, check it and try again",
			rfc3339(server))
	}
	way := "ahead of"
	if skew < 0 {
		way = "behind"
	}
	return fmt.Sprintf("this computer's clock is %s %s AWS's (the answer's Date header says %s): the clock is probably wrong; set it right (e.g. turn on NTP) and try again",
		skew.Abs().Round(time.Second), way, rfc3339(server))
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
