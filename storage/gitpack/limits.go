package gitpack

// Limits bound what a push may bring.
type Limits struct {
	MaxBlob int64 // largest blob accepted (default 20 MiB)
	MaxPush int64 // largest pack accepted (default 200 MiB)
}

// Default push limits, used where Limits leaves a field zero.
const (
	DefaultMaxBlob = 20 << 20
	DefaultMaxPush = 200 << 20
)

// pushLimits fills in the default limits.
func (l Limits) PushLimits() Limits {
	if l.MaxBlob <= 0 {
		l.MaxBlob = DefaultMaxBlob
	}
	if l.MaxPush <= 0 {
		l.MaxPush = DefaultMaxPush
	}
	return l
}

// maxObject is the largest object a pack may hold at all. It is above
// MaxBlob so that a blob a little over the limit reaches the tree check,
// which names its path ("file too large: manual.pdf is 25 MiB"), while a
// huge one is refused before anything holds it in memory.
func (l Limits) maxObject() int64 {
	return max(2*l.MaxBlob, l.MaxBlob+1<<20)
}
