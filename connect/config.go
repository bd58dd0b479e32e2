package connect

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ilms-bulk/ilms-bulk/internal/files"
)

// DefaultConfigPath is the config file read when none is named:
// ilms-bulk/config.json in the user's config directory. Without one, it
// is a description of that place, which no file has.
func DefaultConfigPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "ilms-bulk/config.json in the user config directory"
	}
	return filepath.Join(dir, "ilms-bulk", "config.json")
}

// config is the config file: the connection without options or
// environment. The transaction key may live here, in a file its owner
// alone may read.
type config struct {
	BaseURL        string `json:"base_url"`
	OrgID          string `json:"org_id"`
	APILoginID     string `json:"api_login_id"`
	TransactionKey string `json:"transaction_key"`
}

// loadConfig reads the config file at path. A file that does not exist is
// no config, unless it was named (explicit). A file that holds the
// transaction key and that others may read is read all the same, and
// warned of.
func loadConfig(path string, explicit bool, warn func(string)) (config, error) {
	var c config
	b, err := files.ReadFile(path)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return c, nil
		}
		return c, &FileError{What: "config file", Path: path, Err: err}
	}
	if err := json.Unmarshal(b, &c); err != nil {
		// json's messages quote at most a character of the file, never a
		// value, so the key cannot show here.
		return c, &FileError{What: "config file", Path: path, Err: err}
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 && c.TransactionKey != "" && warn != nil {
		warn(fmt.Sprintf("config file %s holds the transaction key and is readable by others; run: chmod 600 %s", path, path))
	}
	return c, nil
}
