package links

import "strings"

// attr returns the raw (still HTML-escaped) value of a double-quoted attribute.
func attr(tag, name string) (string, bool) {
	i := attrIndex(tag, name)
	if i < 0 {
		return "", false
	}
	v := tag[i+len(name)+2:]
	j := strings.IndexByte(v, '"')
	if j < 0 {
		return "", false
	}
	return v[:j], true
}

// setAttr replaces the value of an attribute, or adds it.
func setAttr(tag, name, value string) string {
	i := attrIndex(tag, name)
	if i < 0 {
		return strings.Replace(tag, "<a ", "<a "+name+`="`+value+`" `, 1)
	}
	start := i + len(name) + 2
	end := start + strings.IndexByte(tag[start:], '"')
	return tag[:start] + value + tag[end:]
}

// attrIndex finds ` name="` in a tag, so that "class" never matches inside
// "data-class" and an attribute name never matches inside a value.
func attrIndex(tag, name string) int {
	needle := " " + name + `="`
	for off := 0; ; {
		i := strings.Index(tag[off:], needle)
		if i < 0 {
			return -1
		}
		i += off
		if strings.Count(tag[:i], `"`)%2 == 0 {
			return i + 1
		}
		off = i + 1
	}
}
