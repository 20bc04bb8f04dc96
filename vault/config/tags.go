package config

import (
	"errors"
	"fmt"
	"strings"
)

// ParseSessionTags parses "k=v,k2=v2" (whitespace trimmed; a value may
// contain '='). An empty element or one without '=' is an error.
func ParseSessionTags(s string) (map[string]string, error) {
	tags := map[string]string{}
	for i, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			if strings.TrimSpace(part) == "" {
				return nil, fmt.Errorf("element %d is empty", i+1)
			}
			return nil, errors.New("each element must be KEY=VALUE, as in Team=dev,Env=prod")
		}
		tags[k] = strings.TrimSpace(v)
	}
	return tags, nil
}

// ParseTransitiveTags splits a comma list, trimming and dropping empties;
// it returns nil when nothing is left.
func ParseTransitiveTags(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
