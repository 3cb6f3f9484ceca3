-- A server registered without oauth settings that answered 401 naming an authorization server (MCP
-- authorization discovery) is protected all the same: where its protected resource metadata was found.
ALTER TABLE mcp_server
    ADD COLUMN oauth_resource_metadata TEXT NULL;
