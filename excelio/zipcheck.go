package excelio

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
)

// A zip bomb is refused from the central directory alone: no entry is
// inflated before its declared size has been checked. The declared size can
// be trusted from then on because archive/zip refuses to inflate an entry
// past it (zip.ErrFormat), whatever the compressed stream holds.
const (
	ratioFloor = 1 << 20 // entries up to this size may compress as well as they like
	maxRatio   = 200     // uncompressed:compressed, above ratioFloor
)

var (
	centralHeader = []byte("PK\x01\x02")
	oleHeader     = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// openZip checks r as an untrusted .xlsx and returns it as a zip.
func openZip(where string, r io.ReaderAt, size int64, lim Limits) (*zip.Reader, error) {
	if size > lim.MaxFileBytes {
		return nil, refuse(where,
			fmt.Sprintf("文件大小 %s 超过上限 %s", sizeText(size), sizeText(lim.MaxFileBytes)),
			fmt.Sprintf("the file is %s, more than the limit of %s", sizeText(size), sizeText(lim.MaxFileBytes)))
	}
	if isOLE(r) {
		return nil, refuse(where, "这是旧版 .xls 文件或加密的工作簿，请另存为未加密的 .xlsx 后再上传",
			"this is an old .xls file or an encrypted workbook; save it as an unencrypted .xlsx and upload again")
	}
	n, err := countCentralHeaders(r, size, lim.MaxZipEntries+1)
	if err != nil {
		return nil, fmt.Errorf("excelio: reading upload: %w", err)
	}
	if n > lim.MaxZipEntries {
		return nil, refuse(where,
			fmt.Sprintf("文件内部条目超过 %d 个，不是正常的 .xlsx 文件", lim.MaxZipEntries),
			fmt.Sprintf("the file holds more than %d zip entries; it is not a normal .xlsx file", lim.MaxZipEntries))
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, notXLSX(where)
	}
	var total int64
	for _, f := range zr.File {
		u, c := f.UncompressedSize64, max(f.CompressedSize64, 1)
		// total never exceeds the limit, so neither side can overflow.
		if u > math.MaxInt64/2 || int64(u) > lim.MaxUncompressedBytes-total {
			return nil, refuse(where,
				fmt.Sprintf("文件解压后超过 %s，请拆分后分别上传", sizeText(lim.MaxUncompressedBytes)),
				fmt.Sprintf("the file expands to more than %s; split it and upload the parts", sizeText(lim.MaxUncompressedBytes)))
		}
		total += int64(u)
		if u > ratioFloor && u/c > maxRatio {
			name := []rune(f.Name)
			name = name[:min(len(name), 80)] // the name is the uploader's, and may be long
			return nil, refuse(where,
				fmt.Sprintf("文件内容 %q 的压缩比异常（%d:1），疑似压缩炸弹，已拒绝", string(name), u/c),
				fmt.Sprintf("entry %q has an absurd compression ratio (%d:1); refused as a possible zip bomb", string(name), u/c))
		}
	}
	return zr, nil
}

func isOLE(r io.ReaderAt) bool {
	head := make([]byte, len(oleHeader))
	_, err := r.ReadAt(head, 0)
	return err == nil && bytes.Equal(head, oleHeader)
}

// countCentralHeaders counts the central directory signatures in the file,
// stopping at limit. Every entry archive/zip accepts starts with one, so
// this bounds the entries before zip.NewReader allocates a File for each:
// the count in the end record cannot be trusted (archive/zip compares only
// its low 16 bits) and a 20 MiB file can hold 400,000 entries.
func countCentralHeaders(r io.ReaderAt, size int64, limit int) (int, error) {
	const chunk = 64 << 10
	buf := make([]byte, chunk+len(centralHeader)-1)
	n, keep := 0, 0
	for off := int64(0); off < size && n < limit; off += chunk {
		m, err := r.ReadAt(buf[keep:keep+int(min(chunk, size-off))], off)
		if err != nil && !(errors.Is(err, io.EOF) && m > 0) {
			return n, err
		}
		data := buf[:keep+m]
		n += bytes.Count(data, centralHeader)
		// Keep the tail that could start a signature cut by the chunk edge.
		keep = min(len(centralHeader)-1, len(data))
		copy(buf, data[len(data)-keep:])
	}
	return n, nil
}

func notXLSX(where string) error {
	return refuse(where, "不是有效的 .xlsx 文件，请用 Excel 或 WPS 另存为 .xlsx 后再上传",
		"not a valid .xlsx file; save it as .xlsx in Excel or WPS and upload again")
}

func damaged(where string) error {
	return refuse(where, "文件已损坏，无法读取", "the file is damaged and cannot be read")
}
