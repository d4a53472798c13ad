package app_test

import (
	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/internal/testutil/testserver"
)

func identityInput(email string) identity.NewUserInput {
	return identity.NewUserInput{Email: email, Password: testserver.Password, Role: identity.RoleMember}
}
