package ilms

import (
	"errors"
	"fmt"
)

func fmtV(v any) string     { return fmt.Sprintf("%v", v) }
func fmtPlusV(v any) string { return fmt.Sprintf("%+v", v) }
func fmtGoV(v any) string   { return fmt.Sprintf("%#v", v) }

func errorsAs(err error, target any) bool { return errors.As(err, target) }
