package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/tessera-crm/tessera/internal/identity"
	"github.com/tessera-crm/tessera/tenants"
)

func tenantCreate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("tenant create", flag.ContinueOnError)
	cfg := commonFlags(fs)
	var in tenants.CreateInput
	fs.StringVar(&in.Key, "key", "", "tenant key (lower snake_case)")
	fs.StringVar(&in.Name, "name", "", "tenant display name")
	fs.StringVar(&in.Locale, "locale", "zh-CN", "default language: zh-CN or en")
	fs.StringVar(&in.TimeZone, "time-zone", "Asia/Shanghai", "IANA time zone")
	fs.StringVar(&in.Currency, "currency", "CNY", "corporate currency (ISO 4217)")
	fs.StringVar(&in.Template, "template", "sales", "app template: sales or none")
	fs.StringVar(&in.AdminEmail, "admin-email", "", "first admin's email")
	fs.StringVar(&in.AdminName, "admin-name", "", "first admin's name")
	fs.StringVar(&in.AdminPassword, "admin-password", "", "first admin's password (generated when empty)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	generated := in.AdminPassword == ""
	if generated {
		in.AdminPassword = identity.GeneratePassword()
	}
	a, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	t, admin, err := a.Tenants.Create(ctx, in)
	if err != nil {
		return err
	}
	fmt.Printf("tenant %s (%s) created, id %s\nadmin: %s\n", t.Key, t.Name, t.ID, admin.Email)
	if generated {
		fmt.Printf("admin password (shown once): %s\n", in.AdminPassword)
	}
	return nil
}

func operatorCreate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("operator create", flag.ContinueOnError)
	cfg := commonFlags(fs)
	email := fs.String("email", "", "operator email")
	name := fs.String("name", "", "operator name")
	password := fs.String("password", "", "password (generated when empty)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	generated := *password == ""
	if generated {
		*password = identity.GeneratePassword()
	}
	a, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	op, err := a.Identity.CreateOperator(ctx, *email, *name, *password)
	if err != nil {
		return err
	}
	fmt.Printf("operator %s created, id %s\n", op.Email, op.ID)
	if generated {
		fmt.Printf("password (shown once): %s\n", *password)
	}
	return nil
}
