package vault

import (
	"strconv"
	"unicode/utf8"
)

// appendIssuance appends rec as json.Marshal writes it, field by field:
// encoding a struct costs its first use a reflection walk of the type
// (Issuance, Step, Process, time.Time), which every credential_process
// call (a whole process) would pay. TestIssuanceJSONIsEncodingJSON and
// FuzzIssuanceJSON hold the bytes equal to json.Marshal's.
func appendIssuance(b []byte, rec *Issuance) ([]byte, error) {
	var err error
	b = append(b, `{"time":`...)
	if b, err = appendTime(b, rec); err != nil {
		return nil, err
	}
	b = appendField(b, `,"version":`, rec.Version)
	b = appendField(b, `,"command":`, rec.Command)
	if rec.Output != "" {
		b = appendField(b, `,"output":`, rec.Output)
	}
	b = appendField(b, `,"profile":`, rec.Profile)
	b = append(b, `,"steps":`...)
	if rec.Steps == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range rec.Steps {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendStep(b, &rec.Steps[i])
		}
		b = append(b, ']')
	}
	if !rec.Expires.IsZero() {
		t, err := rec.Expires.MarshalJSON()
		if err != nil {
			return nil, err
		}
		b = append(append(b, `,"expires":`...), t...)
	}
	b = appendField(b, `,"key_id_last4":`, rec.KeyIDLast4)
	b = appendProcess(append(b, `,"caller":`...), &rec.Caller)
	b = appendProcess(append(b, `,"caller_parent":`...), &rec.CallerParent)
	if rec.Dir != "" {
		b = appendField(b, `,"cwd":`, rec.Dir)
	}
	return append(b, '}'), nil
}

func appendTime(b []byte, rec *Issuance) ([]byte, error) {
	t, err := rec.Time.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return append(b, t...), nil
}

func appendStep(b []byte, s *Step) []byte {
	b = appendField(append(b, '{'), `"kind":`, s.Kind)
	b = appendField(b, `,"profile":`, s.Profile)
	if s.RoleARN != "" {
		b = appendField(b, `,"role_arn":`, s.RoleARN)
	}
	if s.SessionName != "" {
		b = appendField(b, `,"session_name":`, s.SessionName)
	}
	b = strconv.AppendBool(append(b, `,"mfa":`...), s.MFA)
	if s.MFASerial != "" {
		b = appendField(b, `,"mfa_serial":`, s.MFASerial)
	}
	b = strconv.AppendBool(append(b, `,"cached":`...), s.Cached)
	return append(b, '}')
}

func appendProcess(b []byte, p *Process) []byte {
	b = strconv.AppendInt(append(b, `{"pid":`...), int64(p.PID), 10)
	if p.Exe != "" {
		b = appendField(b, `,"exe":`, p.Exe)
	}
	if p.Name != "" {
		b = appendField(b, `,"name":`, p.Name)
	}
	return append(b, '}')
}

// appendField appends key (quoted, with its colon) and s as a JSON string.
func appendField(b []byte, key, s string) []byte {
	return appendJSONString(append(b, key...), s)
}

// appendJSONString appends s quoted as json.Marshal quotes it: with HTML
// escaping (<, > and & as \u003c, \u003e, \u0026), \b \f \n \r \t and
// other control characters escaped, U+2028 and U+2029 escaped, and each
// byte of invalid UTF-8 replaced by \ufffd.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(append(b, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}
