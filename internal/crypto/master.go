package crypto

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the size of the master key and of every data key: AES-256.
const KeySize = 32

// ParseMasterKey decodes a master key given as base64 (standard or URL
// alphabet, padded or not) of exactly 32 bytes. The error never contains the
// key.
func ParseMasterKey(encoded string) ([]byte, error) {
	encoded = strings.TrimSpace(encoded)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		key, err := enc.DecodeString(encoded)
		if err != nil {
			continue
		}
		if len(key) != KeySize {
			return nil, fmt.Errorf("master key is %d bytes, want %d (generate one with: openssl rand -base64 32)", len(key), KeySize)
		}
		return key, nil
	}
	return nil, errors.New("master key is not valid base64 (generate one with: openssl rand -base64 32)")
}

// EncodeMasterKey is the inverse of ParseMasterKey.
func EncodeMasterKey(key []byte) string { return base64.StdEncoding.EncodeToString(key) }

// NewMasterKey returns a fresh random master key.
func NewMasterKey() ([]byte, error) { return randomBytes(KeySize) }

// LoadMasterKey returns the master key: encoded when it is set (the
// TESSERA_MASTER_KEY of production), otherwise the key kept in file, which is
// generated (mode 0600) on first start. The file is the embedded default's
// convenience: whoever can read the data directory can read the key, so it
// always logs a warning.
func LoadMasterKey(encoded, file string, log *slog.Logger) ([]byte, error) {
	if strings.TrimSpace(encoded) != "" {
		key, err := ParseMasterKey(encoded)
		if err != nil {
			return nil, fmt.Errorf("TESSERA_MASTER_KEY: %w", err)
		}
		return key, nil
	}
	if file == "" {
		return nil, errors.New("neither a master key nor a master key file is configured")
	}
	key, created, err := readOrCreateKeyFile(file)
	if err != nil {
		return nil, err
	}
	log.Warn("using a master key kept in a file next to the data; production should set TESSERA_MASTER_KEY",
		"file", file, "generated", created)
	return key, nil
}

func readOrCreateKeyFile(file string) (key []byte, created bool, err error) {
	key, err = readKeyFile(file)
	if err == nil {
		return key, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return nil, false, fmt.Errorf("create master key directory: %w", err)
	}
	key, err = NewMasterKey()
	if err != nil {
		return nil, false, err
	}
	// O_EXCL: when two processes start together on a fresh data directory,
	// one writes the key and the other reads it, rather than each keeping a
	// key of its own.
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		key, err = readKeyFile(file)
		return key, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("create master key file: %w", err)
	}
	_, werr := f.WriteString(EncodeMasterKey(key) + "\n")
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(file)
		return nil, false, fmt.Errorf("write master key file: %w", err)
	}
	return key, true, nil
}

func readKeyFile(file string) ([]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("read master key file: %w", err)
	}
	key, err := ParseMasterKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("master key file %s: %w", file, err)
	}
	return key, nil
}
