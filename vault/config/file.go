package config

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/awsvault/aws-vault/internal/regularfile"
	"gopkg.in/ini.v1"
)

// maxConfigSize caps how much of a config file is read; a real ~/.aws/config
// is a few kilobytes.
const maxConfigSize = 16 << 20

// File is a parsed ~/.aws/config (or $AWS_CONFIG_FILE).
type File struct {
	// Path is the file the config was read from.
	Path string
	raw  []byte
	ini  *ini.File
}

// FilePath returns the config file path: $AWS_CONFIG_FILE, else
// <home>/.aws/config. Like aws-vault, no ~ expansion is applied.
func FilePath(getenv func(string) string, home string) string {
	if p := getenv("AWS_CONFIG_FILE"); p != "" {
		return p
	}
	return filepath.Join(home, ".aws", "config")
}

// LoadFile reads and parses the config file at path, creating an empty
// one (and its directory) if it does not exist, as aws-vault does.
func LoadFile(path string) (*File, error) {
	raw, err := readConfig(path)
	if errors.Is(err, os.ErrNotExist) {
		raw, err = nil, createConfig(path)
	}
	if err != nil {
		return nil, err
	}
	return Parse(path, raw)
}

// Parse parses config file contents read from path.
func Parse(path string, raw []byte) (*File, error) {
	f, err := parseINI(raw)
	if err != nil {
		return nil, configSyntaxError(path, raw, err)
	}
	return &File{Path: path, raw: raw, ini: f}, nil
}

// parseINI is the one INI parser of both files, the config file and the
// credentials file: go-ini with the options below.
func parseINI(raw []byte) (*ini.File, error) {
	return ini.LoadSources(ini.LoadOptions{
		AllowNestedValues: true,
		InsensitiveKeys:   true,
		// Keep '#' and ';' inside values (SSO start URLs end in "#/");
		// only a comment preceded by whitespace is stripped.
		SpaceBeforeInlineComment: true,
	}, raw)
}

func readConfig(path string) ([]byte, error) { return readSmallFile(path, "config file") }

// readSmallFile reads a file of at most maxConfigSize bytes (a config or
// credentials file); what names it in errors. A missing file is the os
// error, for the caller to handle. Anything but a regular file (or a
// symbolic link to one) is refused before it is read: a named pipe would
// hold aws-vault until something writes to it.
func readSmallFile(path, what string) ([]byte, error) {
	f, err := regularfile.Open(path, false)
	var notRegular *regularfile.NotRegularError
	if errors.As(err, &notRegular) {
		return nil, fmt.Errorf("%s %w", what, err)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s %s: %w", what, path, err)
	}
	if len(raw) > maxConfigSize {
		return nil, fmt.Errorf("%s %s: larger than %d bytes", what, path, maxConfigSize)
	}
	return raw, nil
}

func createConfig(path string) error {
	if err := os.Mkdir(filepath.Dir(path), 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("creating config directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o666)
	if err != nil {
		return fmt.Errorf("creating config file: %w", err)
	}
	return f.Close()
}

// SyntaxError is a config file that does not parse: the file and, when it
// can be found, the line (1-based; 0 when unknown), never the line's text
// (it may hold a secret, such as a token in a credential_process command).
type SyntaxError struct {
	Path string
	Line int
	What string
}

func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("config file %s, line %d: %s", e.Path, e.Line, e.What)
	}
	return fmt.Sprintf("config file %s: %s", e.Path, e.What)
}

// configSyntaxError names the file and, when it can be found, the line of a
// parse error.
func configSyntaxError(path string, raw []byte, err error) error {
	var delim ini.ErrDelimiterNotFound
	if errors.As(err, &delim) {
		if n := lineOf(raw, delim.Line); n > 0 {
			return &SyntaxError{Path: path, Line: n, What: "not a section header or key = value line"}
		}
		return &SyntaxError{Path: path, What: "a line is not a section header or key = value line"}
	}
	// go-ini's other errors read "<what>: <the line>".
	what, line, _ := strings.Cut(err.Error(), ": ")
	if n := lineOf(raw, line); line != "" && n > 0 {
		return &SyntaxError{Path: path, Line: n, What: what}
	}
	return &SyntaxError{Path: path, What: what}
}

func lineOf(raw []byte, text string) int {
	text = strings.TrimSpace(text)
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 0, 64*1024), maxConfigSize)
	for n := 1; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == text {
			return n
		}
	}
	return 0
}
