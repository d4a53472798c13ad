package metadata

import (
	"context"
	"fmt"

	"github.com/tessera-crm/tessera/internal/problem"
)

// Organisation-wide defaults: what every member may do with a record they
// have no other access to.
const (
	AccessPrivate         = "private"
	AccessPublicRead      = "public_read"
	AccessPublicReadWrite = "public_read_write"
)

// Access levels of hierarchy, shares and sharing rules.
const (
	AccessRead = "read"
	AccessEdit = "edit"
)

// Grantee types of shares and sharing rules.
const (
	GranteeUser                = "user"
	GranteeUnit                = "unit"
	GranteeRole                = "role"
	GranteeRoleAndSubordinates = "role_and_subordinates"
)

// Sharing is an object's record-access settings. The zero value is public
// read-write, which is how objects behaved before record access existed.
type Sharing struct {
	DefaultAccess   string `json:"default_access,omitempty"`
	HierarchyAccess string `json:"hierarchy_access,omitempty"`
}

// Default returns the organisation-wide default, resolving the zero value.
func (s Sharing) Default() string {
	if s.DefaultAccess == "" {
		return AccessPublicReadWrite
	}
	return s.DefaultAccess
}

// HierarchyEdits reports whether managers may edit their subordinates'
// records (they always may read them).
func (s Sharing) HierarchyEdits() bool { return s.HierarchyAccess == AccessEdit }

// Grantee names who a share or a sharing rule grants access to.
type Grantee struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// SharingRule grants access to the records that meet a condition.
type SharingRule struct {
	APIName   string  `json:"api_name"`
	Labels    Labels  `json:"labels"`
	Condition string  `json:"condition"`
	Grantee   Grantee `json:"grantee"`
	Access    string  `json:"access"`
	Active    bool    `json:"active"`
}

func checkSharing(s Sharing) []problem.FieldError {
	var errs []problem.FieldError
	switch s.DefaultAccess {
	case "", AccessPrivate, AccessPublicRead, AccessPublicReadWrite:
	default:
		errs = append(errs, problem.FieldError{Field: "sharing.default_access", Code: problem.CodeInvalidValue,
			Message: "default_access must be private, public_read or public_read_write"})
	}
	switch s.HierarchyAccess {
	case "", AccessRead, AccessEdit:
	default:
		errs = append(errs, problem.FieldError{Field: "sharing.hierarchy_access", Code: problem.CodeInvalidValue,
			Message: "hierarchy_access must be read or edit"})
	}
	return errs
}

// ValidGranteeType reports whether t names a kind of grantee.
func ValidGranteeType(t string) bool {
	switch t {
	case GranteeUser, GranteeUnit, GranteeRole, GranteeRoleAndSubordinates:
		return true
	}
	return false
}

func checkSharingRule(r *SharingRule) []problem.FieldError {
	var errs []problem.FieldError
	add := func(field, code, format string, args ...any) {
		errs = append(errs, problem.FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if msg := ValidateAPIName(r.APIName); msg != "" {
		add("api_name", problem.CodeInvalidValue, "api_name %s", msg)
	}
	errs = append(errs, checkLabels(r.Labels, "labels")...)
	if r.Condition == "" {
		add("condition", problem.CodeRequired, "condition is required")
	} else if len(r.Condition) > 4000 {
		add("condition", problem.CodeTooLong, "condition is at most 4000 characters")
	}
	if !ValidGranteeType(r.Grantee.Type) {
		add("grantee.type", problem.CodeInvalidValue, "grantee.type must be user, unit, role or role_and_subordinates")
	}
	if r.Grantee.ID == "" {
		add("grantee.id", problem.CodeRequired, "grantee.id is required")
	}
	if r.Access != AccessRead && r.Access != AccessEdit {
		add("access", problem.CodeInvalidValue, "access must be read or edit")
	}
	return errs
}

// SharingPatch changes an object's sharing settings.
type SharingPatch struct {
	DefaultAccess   *string `json:"default_access"`
	HierarchyAccess *string `json:"hierarchy_access"`
}

var sharingRuleItem = item[SharingRule]{name: func(r *SharingRule) string { return r.APIName }}

// PutSharingRule adds (create) or replaces a sharing rule. check validates
// what metadata cannot: the condition against the next snapshot and the
// grantee against the organisation.
func (s *Service) PutSharingRule(ctx context.Context, tenantID, object string, r SharingRule, create bool, check func(*Snapshot, *SharingRule) error) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		return putNamed(&o.SharingRules, r, sharingRuleItem, create, "sharing rule", func(r *SharingRule) error {
			if err := invalid(checkSharingRule(r)); err != nil {
				return err
			}
			return check(cs.next(), r)
		})
	})
}

// DeleteSharingRule removes a sharing rule.
func (s *Service) DeleteSharingRule(ctx context.Context, tenantID, object, name string) (*Snapshot, error) {
	return s.apply(ctx, tenantID, func(cs *changeSet) error {
		o := cs.mutable(object)
		if o == nil {
			return problem.UnknownObject(object)
		}
		return deleteNamed(&o.SharingRules, name, sharingRuleItem, object, "sharing rule")
	})
}
