package vault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/awsvault/aws-vault/internal/regularfile"
	"github.com/awsvault/aws-vault/vault/config"
)

// webIdentityProvider calls AssumeRoleWithWebIdentity with a token from
// web_identity_token_file or web_identity_token_process.
type webIdentityProvider struct {
	b *builder
	p *config.Profile
}

func (w *webIdentityProvider) token(ctx context.Context) (string, error) {
	opts := w.b.chain.opts
	if w.p.WebIdentityTokenFile != "" {
		b, err := readTokenFile(w.p.WebIdentityTokenFile)
		if err != nil {
			return "", fmt.Errorf("profile %s: web_identity_token_file %w", w.p.ProfileName, err)
		}
		return string(b), nil
	}
	out, err := opts.runProcess(ctx, w.p.WebIdentityTokenProcess)
	if err != nil {
		return "", fmt.Errorf("profile %s: web_identity_token_process failed: %w", w.p.ProfileName, err)
	}
	return string(out), nil
}

// readTokenFile reads a web_identity_token_file: only a regular file (a
// FIFO would hold us until something writes to it, a device like
// /dev/zero never ends), of at most maxProcessOutput bytes, as the output
// of web_identity_token_process is capped. Errors start with the path and
// never quote the file.
func readTokenFile(path string) ([]byte, error) {
	f, err := regularfile.Open(path, false)
	var notRegular *regularfile.NotRegularError
	if errors.As(err, &notRegular) {
		return nil, err
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		err = pathErr.Err // the path comes first already
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxProcessOutput+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > maxProcessOutput {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxProcessOutput)
	}
	return b, nil
}

func (w *webIdentityProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if w.p.RoleARN == "" {
		return aws.Credentials{}, fmt.Errorf("profile %s: a web identity token needs role_arn", w.p.ProfileName)
	}
	token, err := w.token(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	client, err := w.b.chain.opts.AWS.stsClient(ctx, w.p, aws.AnonymousCredentials{})
	if err != nil {
		return aws.Credentials{}, err
	}
	w.b.chain.opts.Logf("profile %s: calling AssumeRoleWithWebIdentity %s", w.p.ProfileName, w.p.RoleARN)
	name := roleSessionName(w.p, w.b.chain.opts.Now())
	out, err := client.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
		RoleArn:          aws.String(w.p.RoleARN),
		RoleSessionName:  aws.String(name),
		WebIdentityToken: aws.String(token),
		DurationSeconds:  seconds(w.p.AssumeRoleDuration),
	})
	if err != nil {
		return aws.Credentials{}, err
	}
	creds, err := w.b.issued(w.p, "AssumeRoleWithWebIdentity", out.Credentials, out.ResultMetadata, KindWebIdentity)
	if err == nil {
		w.b.record(Step{Kind: KindWebIdentity, Profile: w.p.ProfileName, RoleARN: w.p.RoleARN, SessionName: name})
	}
	return creds, err
}
