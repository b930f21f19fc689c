// Package datasets embeds the default city, Gujiao (古交市), as a dataset
// bundle: data, not code. Any other city loads its own bundle with
// `lantu dataset import DIR`.
package datasets

import (
	"embed"
	"io/fs"
)

//go:embed gujiao
var embedded embed.FS

// Gujiao returns the Gujiao bundle (see datasets/gujiao/README.md).
func Gujiao() fs.FS {
	sub, err := fs.Sub(embedded, "gujiao")
	if err != nil {
		panic(err) // the folder is embedded at build time; cannot happen
	}
	return sub
}
