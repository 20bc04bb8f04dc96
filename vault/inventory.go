package vault

import (
	"sort"
	"time"

	"github.com/awsvault/aws-vault/vault/config"
)

// InventoryItem is a cached session or OIDC token as list shows it.
type InventoryItem struct {
	Key   string
	Label string
	// Profile is the session's profile; StartURL the OIDC token's URL.
	Profile  string
	StartURL string
}

// Inventory is what the keyring holds, from one key listing: nothing is
// decrypted.
type Inventory struct {
	// Profiles are the config profiles in file order.
	Profiles []string
	// Credentials are the names of stored long-term credentials, sorted.
	Credentials []string
	// Items are OIDC tokens, then sessions, in keyring order.
	Items []InventoryItem

	startURLs map[string]string
}

// Inventory lists the keyring's items and labels sessions with the time
// they have left now, for the profiles of cfg.
func (s *Store) Inventory(cfg *config.File) (*Inventory, error) {
	now := s.Now()
	keys, err := s.Keyring.Keys()
	if err != nil {
		return nil, err
	}
	inv := &Inventory{Profiles: cfg.ProfileNames()}
	var sessions []InventoryItem
	for _, k := range keys {
		switch ClassifyKey(k) {
		case KeyCredentials:
			inv.Credentials = append(inv.Credentials, k)
		case KeyOIDCToken:
			url := k[len(oidcTokenPrefix):]
			inv.Items = append(inv.Items, InventoryItem{Key: k, Label: k, StartURL: url})
		case KeySession:
			sk, _ := ParseSessionKey(k)
			label := sk.Type + ":" + sk.Expiration.Sub(now).Truncate(time.Second).String()
			sessions = append(sessions, InventoryItem{Key: k, Label: label, Profile: sk.ProfileName})
		}
	}
	sort.Strings(inv.Credentials)
	if len(inv.Items) > 0 {
		inv.startURLs = profileStartURLs(cfg, inv.Profiles)
	}
	inv.Items = append(inv.Items, sessions...)
	return inv, nil
}

// profileStartURLs resolves each profile's SSO start URL, so OIDC tokens are
// shown on the profiles that use them (aws-vault v7 never matched them).
func profileStartURLs(cfg *config.File, profiles []string) map[string]string {
	out := map[string]string{}
	for _, p := range profiles {
		if pc, err := cfg.LoadProfile(p, noEnv, config.Profile{}); err == nil && pc.SSOStartURL != "" {
			out[p] = pc.SSOStartURL
		}
	}
	return out
}

// noEnv is an empty environment: the profiles of the list are resolved from
// the config file alone.
func noEnv(string) string { return "" }

// ItemsFor returns the items that belong to profile.
func (inv *Inventory) ItemsFor(profile string) []InventoryItem {
	var out []InventoryItem
	for _, it := range inv.Items {
		if (it.Profile != "" && it.Profile == profile) || (it.StartURL != "" && sameStartURL(it.StartURL, inv.startURLs[profile])) {
			out = append(out, it)
		}
	}
	return out
}

// sameStartURL reports whether a token's item names the start URL a
// profile resolves to: as aws-vault v7 keys it, or whole.
func sameStartURL(item, profileURL string) bool {
	return profileURL != "" && (item == profileURL || item == v7StartURL(profileURL))
}

// SessionLabels lists every item's label.
func (inv *Inventory) SessionLabels() []string {
	out := make([]string, 0, len(inv.Items))
	for _, it := range inv.Items {
		out = append(out, it.Label)
	}
	return out
}
