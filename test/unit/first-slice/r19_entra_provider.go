package entra

import (
	"context"
	"database/sql"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	mssql "github.com/microsoft/go-mssqldb"
)

var scopes = []string{"https://database.windows.net/.default"}

func Open(ctx context.Context) (*sql.DB, error) {
	cred, err := azidentity.NewDefaultAzureCredential(nil)
	if err != nil {
		return nil, err
	}
	tk, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: scopes})
	if err != nil {
		return nil, err
	}
	provider := func() (string, error) { return tk.Token, nil }
	c, err := mssql.NewAccessTokenConnector("sqlserver://orders.database.windows.net?database=orders", provider)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

func retry(n int) bool { return n < 3 }
