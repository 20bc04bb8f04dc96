package vaulttest

import (
	"sort"
	"sync"

	"github.com/awsvault/aws-vault/vault/keyring"
)

// MemKeyring is an in-memory keyring for unit tests. It counts calls so
// tests can assert what a command read.
type MemKeyring struct {
	mu    sync.Mutex
	items map[string]keyring.Item
	// Calls counts Get, Set, Remove and Keys calls by method name.
	calls map[string]int
}

// NewMemKeyring returns an empty keyring.
func NewMemKeyring() *MemKeyring {
	return &MemKeyring{items: map[string]keyring.Item{}, calls: map[string]int{}}
}

// Get returns the item stored under key.
func (m *MemKeyring) Get(key string) (keyring.Item, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls["Get"]++
	it, ok := m.items[key]
	if !ok {
		return keyring.Item{}, keyring.ErrKeyNotFound
	}
	return it, nil
}

// Set stores item.
func (m *MemKeyring) Set(item keyring.Item) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls["Set"]++
	m.items[item.Key] = item
	return nil
}

// Remove deletes the item stored under key.
func (m *MemKeyring) Remove(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls["Remove"]++
	if _, ok := m.items[key]; !ok {
		return keyring.ErrKeyNotFound
	}
	delete(m.items, key)
	return nil
}

// Keys lists the stored keys, sorted.
func (m *MemKeyring) Keys() ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls["Keys"]++
	keys := make([]string, 0, len(m.items))
	for k := range m.items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// Calls returns how many times method was called, and resets nothing.
func (m *MemKeyring) Calls(method string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls[method]
}

// ResetCalls zeroes the call counters.
func (m *MemKeyring) ResetCalls() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = map[string]int{}
}
