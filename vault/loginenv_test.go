package vault_test

import (
	"errors"
	"testing"
	"time"

	"github.com/awsvault/aws-vault/vault"
	"github.com/awsvault/aws-vault/vault/config"
)

func envFunc(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

func TestEnvCredentials(t *testing.T) {
	if _, err := vault.EnvCredentials(envFunc(nil)); !errors.Is(err, vault.ErrNoLoginSource) {
		t.Errorf("empty environment: %v", err)
	}
	if _, err := vault.EnvCredentials(envFunc(map[string]string{"AWS_ACCESS_KEY_ID": "AKIAX"})); err == nil ||
		errors.Is(err, vault.ErrNoLoginSource) {
		t.Errorf("id without secret: %v", err)
	}
	got, err := vault.EnvCredentials(envFunc(map[string]string{
		"AWS_ACCESS_KEY": "AKIAALT", "AWS_SECRET_KEY": "alt", "AWS_SESSION_TOKEN": "tok",
	}))
	if err != nil || got.AccessKeyID != "AKIAALT" || got.SecretAccessKey != "alt" || got.SessionToken != "tok" {
		t.Errorf("alternative names: %+v, %v", got, err)
	}
	got, _ = vault.EnvCredentials(envFunc(map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIAMAIN", "AWS_ACCESS_KEY": "AKIAALT", "AWS_SECRET_ACCESS_KEY": "main", "AWS_SECRET_KEY": "alt",
	}))
	if got.AccessKeyID != "AKIAMAIN" || got.SecretAccessKey != "main" {
		t.Errorf("precedence: %+v", got)
	}
}

func TestEnvLoginProfile(t *testing.T) {
	env := map[string]string{"AWS_DEFAULT_REGION": "eu-west-1", "AWS_FEDERATION_TOKEN_TTL": "90m"}
	p, err := vault.EnvLoginProfile(envFunc(env), "", 0)
	if err != nil || p.Region != "eu-west-1" || p.GetFederationTokenDuration != 90*time.Minute || p.ProfileName != "" {
		t.Errorf("defaults: %+v, %v", p, err)
	}
	env["AWS_REGION"] = "eu-central-1"
	p, _ = vault.EnvLoginProfile(envFunc(env), "", 2*time.Hour)
	if p.Region != "eu-central-1" || p.GetFederationTokenDuration != 2*time.Hour {
		t.Errorf("AWS_REGION and --duration: %+v", p)
	}
	p, _ = vault.EnvLoginProfile(envFunc(env), "us-west-2", 0)
	if p.Region != "us-west-2" {
		t.Errorf("--region: %+v", p)
	}
	p, _ = vault.EnvLoginProfile(envFunc(nil), "", 0)
	if p.Region != "" || p.GetFederationTokenDuration != config.DefaultFederationDuration {
		t.Errorf("nothing set: %+v", p)
	}
	if _, err := vault.EnvLoginProfile(envFunc(map[string]string{"AWS_FEDERATION_TOKEN_TTL": "x"}), "", 0); err == nil {
		t.Error("bad AWS_FEDERATION_TOKEN_TTL accepted")
	}
}

func TestFillLoginRegion(t *testing.T) {
	src := &config.Profile{ProfileName: "src", Region: "eu-west-1"}
	p := &config.Profile{ProfileName: "role", SourceProfile: src}
	if !vault.FillLoginRegion(p) || p.Region != vault.LoginCallRegion || src.Region != "eu-west-1" {
		t.Errorf("target %q source %q", p.Region, src.Region)
	}
	if vault.FillLoginRegion(&config.Profile{Region: "cn-north-1"}) {
		t.Error("a region was reported missing")
	}
}
