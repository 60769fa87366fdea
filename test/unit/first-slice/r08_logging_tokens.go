package tokens

import (
	"context"
	"database/sql"
	"log/slog"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

type Client struct {
	cred *azidentity.DefaultAzureCredential
}

func (c *Client) fetch(ctx context.Context) string {
	tk, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{"https://database.windows.net/.default"}})
	if err != nil {
		return ""
	}
	return tk.Token
}

func (c *Client) debug(ctx context.Context) {
	v := c.fetch(ctx)
	slog.Info("got", "value", v)
}

func (c *Client) unrelated(n int) int {
	return n * 2
}

func (c *Client) open(ctx context.Context) (*sql.DB, error) {
	return sql.Open("azuresql", "sqlserver://orders.database.windows.net?database=orders&fedauth=ActiveDefaultAzure")
}
