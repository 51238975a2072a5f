// Package storetest holds helpers shared by the storage packages' tests:
// repositories with history, error-code checks. Only tests import it.
package storetest
