package vaulttest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Parameter limits of the STS API.
const (
	minDuration       = 900
	maxSTSDuration    = 129600 // GetSessionToken, GetFederationToken
	maxRoleDuration   = 43200  // AssumeRole's API constraint
	chainedMax        = 3600
	maxPackedPolicy   = 2048
	maxSessionTags    = 50
	namePattern       = `[\w+=,.@-]*`
	defaultUserTokenD = 43200
	defaultRoleD      = 3600
)

// durationParam reads DurationSeconds: def when absent, else within
// [900, hi], refused in AWS's words.
func durationParam(form url.Values, def, hi int) (int, *apiError) {
	v := form.Get("DurationSeconds")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	switch {
	case err != nil:
		return 0, errValidation(fmt.Sprintf("Value '%s' for parameter DurationSeconds is invalid. It must be an integer.", v))
	case n < minDuration:
		return 0, errConstraint("'"+v+"'", "durationSeconds", "must have value greater than or equal to 900")
	case n > hi:
		return 0, errConstraint("'"+v+"'", "durationSeconds", fmt.Sprintf("must have value less than or equal to %d", hi))
	}
	return n, nil
}

// nameParam reads a required name-like parameter (RoleSessionName, Name,
// SourceIdentity...) of lo to hi characters matching [\w+=,.@-]*.
func nameParam(form url.Values, param string, lo, hi int) (string, *apiError) {
	field := strings.ToLower(param[:1]) + param[1:]
	v, ok := form[param]
	if !ok || len(v) == 0 {
		return "", errConstraint("null", field, "must not be null")
	}
	s := v[0]
	switch {
	case len(s) < lo:
		return "", errConstraint("'"+s+"'", field, fmt.Sprintf("must have length greater than or equal to %d", lo))
	case len(s) > hi:
		return "", errConstraint("'"+s+"'", field, fmt.Sprintf("must have length less than or equal to %d", hi))
	case !validName(s):
		return "", errConstraint("'"+s+"'", field, "must satisfy regular expression pattern: "+namePattern)
	}
	return s, nil
}

// optionalNameParam is nameParam for a parameter that may be absent.
func optionalNameParam(form url.Values, param string, lo, hi int) (string, *apiError) {
	if form.Get(param) == "" {
		return "", nil
	}
	return nameParam(form, param, lo, hi)
}

// requiredParam reads a parameter that must be present.
func requiredParam(form url.Values, param string) (string, *apiError) {
	v := form.Get(param)
	if v == "" {
		return "", errConstraint("null", strings.ToLower(param[:1])+param[1:], "must not be null")
	}
	return v, nil
}

// tokenCodeParam checks TokenCode is six digits when sent.
func tokenCodeParam(form url.Values) (string, *apiError) {
	code := form.Get("TokenCode")
	switch {
	case code == "":
		return "", nil
	case len(code) < 6:
		return "", errConstraint("'"+code+"'", "tokenCode", "must have length greater than or equal to 6")
	case len(code) > 6:
		return "", errConstraint("'"+code+"'", "tokenCode", "must have length less than or equal to 6")
	case !allIn(code, "0123456789"):
		return "", errConstraint("'"+code+"'", "tokenCode", `must satisfy regular expression pattern: [\d]*`)
	}
	return code, nil
}

// policyParam checks an inline session Policy: JSON within the packed size.
func policyParam(form url.Values) (string, *apiError) {
	p := form.Get("Policy")
	switch {
	case p == "":
		return "", nil
	case !json.Valid([]byte(p)):
		return "", &apiError{http.StatusBadRequest, "MalformedPolicyDocument", "The policy is not in the valid JSON format."}
	case len(p) > maxPackedPolicy:
		return "", &apiError{http.StatusBadRequest, "PackedPolicyTooLarge",
			fmt.Sprintf("Packed size of session policy exceeds the limit: %d%%.", len(p)*100/maxPackedPolicy)}
	}
	return p, nil
}

// packedSize is PackedPolicySize (percent of the limit) when a policy or
// tags were passed, else nil.
func packedSize(policy string, tags map[string]string) *int {
	if policy == "" && len(tags) == 0 {
		return nil
	}
	n := len(policy)
	for k, v := range tags {
		n += len(k) + len(v)
	}
	pct := max(1, n*100/maxPackedPolicy)
	return &pct
}

// tagsParam reads Tags.member.N.Key/Value and TransitiveTagKeys.member.N.
func tagsParam(form url.Values) (map[string]string, []string, *apiError) {
	tags := map[string]string{}
	for i := 1; ; i++ {
		k, ok := form[fmt.Sprintf("Tags.member.%d.Key", i)]
		if !ok {
			break
		}
		key, value := k[0], form.Get(fmt.Sprintf("Tags.member.%d.Value", i))
		if err := checkTag(tags, key, value, i); err != nil {
			return nil, nil, err
		}
		tags[key] = value
	}
	var transitive []string
	for i := 1; form.Has(fmt.Sprintf("TransitiveTagKeys.member.%d", i)); i++ {
		transitive = append(transitive, form.Get(fmt.Sprintf("TransitiveTagKeys.member.%d", i)))
	}
	return tags, transitive, nil
}

// checkTag validates the i-th session tag against those already read.
func checkTag(tags map[string]string, key, value string, i int) *apiError {
	switch {
	case i > maxSessionTags:
		return errConstraint("'[...]'", "tags", "must have length less than or equal to 50")
	case len(key) < 1 || len(key) > 128:
		return errConstraint("'"+key+"'", fmt.Sprintf("tags.%d.member.key", i), "must have length less than or equal to 128")
	case len(value) > 256:
		return errConstraint("'"+value+"'", fmt.Sprintf("tags.%d.member.value", i), "must have length less than or equal to 256")
	}
	for k := range tags {
		if strings.EqualFold(k, key) {
			return &apiError{http.StatusBadRequest, "InvalidParameterValue",
				"Duplicate tag keys found. Please note that Tag keys are case insensitive."}
		}
	}
	return nil
}
