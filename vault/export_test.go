package vault

import "time"

// LookupSession finds the cached session matching key that is still valid
// for more than window, as the chain does, for tests that read sessions
// written by aws-vault v7.
func (s *Store) LookupSession(key SessionKey, window time.Duration) (*CachedSession, error) {
	keys, err := s.Keyring.Keys()
	if err != nil {
		return nil, err
	}
	s.PurgeSessions(keys)
	return s.lookupSessionIn(keys, key, window), nil
}
