using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sub2Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "accounts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    notes = table.Column<string>(type: "TEXT", nullable: false),
                    platform = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    credentials_encrypted = table.Column<string>(type: "TEXT", nullable: false),
                    extra = table.Column<string>(type: "TEXT", nullable: false),
                    proxy_id = table.Column<long>(type: "INTEGER", nullable: true),
                    concurrency = table.Column<int>(type: "INTEGER", nullable: false),
                    priority = table.Column<int>(type: "INTEGER", nullable: false),
                    rate_multiplier = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    error_message = table.Column<string>(type: "TEXT", nullable: false),
                    last_used_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    auto_pause_on_expired = table.Column<bool>(type: "INTEGER", nullable: false),
                    schedulable = table.Column<bool>(type: "INTEGER", nullable: false),
                    rate_limited_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    rate_limit_reset_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    overload_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    temp_unschedulable_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    temp_unschedulable_reason = table.Column<string>(type: "TEXT", nullable: true),
                    session_window_start = table.Column<DateTime>(type: "TEXT", nullable: true),
                    session_window_end = table.Column<DateTime>(type: "TEXT", nullable: true),
                    session_window_status = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    deleted_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_accounts", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "groups",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    platform = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    rate_multiplier = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    is_exclusive = table.Column<bool>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    subscription_type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    daily_limit_usd = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: true),
                    weekly_limit_usd = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: true),
                    monthly_limit_usd = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: true),
                    default_validity_days = table.Column<int>(type: "INTEGER", nullable: false),
                    image_price1k = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: true),
                    image_price2k = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: true),
                    image_price4k = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: true),
                    claude_code_only = table.Column<bool>(type: "INTEGER", nullable: false),
                    fallback_group_id = table.Column<long>(type: "INTEGER", nullable: true),
                    fallback_group_id_on_invalid_request = table.Column<long>(type: "INTEGER", nullable: true),
                    model_routing = table.Column<string>(type: "TEXT", nullable: false),
                    model_routing_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    mcp_xml_inject = table.Column<bool>(type: "INTEGER", nullable: false),
                    supported_model_scopes = table.Column<string>(type: "TEXT", nullable: false),
                    sort_order = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    deleted_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_groups", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "proxies",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    protocol = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    host = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    port = table.Column<int>(type: "INTEGER", nullable: false),
                    username = table.Column<string>(type: "TEXT", nullable: true),
                    password_encrypted = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    deleted_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_proxies", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "redeem_codes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    value = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    used_by = table.Column<long>(type: "INTEGER", nullable: true),
                    used_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    notes = table.Column<string>(type: "TEXT", nullable: false),
                    group_id = table.Column<long>(type: "INTEGER", nullable: true),
                    validity_days = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_redeem_codes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "refresh_tokens",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    token_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    family_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    token_version = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    used_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    revoked_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_refresh_tokens", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "settings",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_settings", x => x.key);
                });

            migrationBuilder.CreateTable(
                name: "usage_logs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    api_key_id = table.Column<long>(type: "INTEGER", nullable: false),
                    account_id = table.Column<long>(type: "INTEGER", nullable: false),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    model = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    group_id = table.Column<long>(type: "INTEGER", nullable: true),
                    subscription_id = table.Column<long>(type: "INTEGER", nullable: true),
                    input_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    output_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cache_creation_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cache_read_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cache_creation5m_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cache_creation1h_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    input_cost = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    output_cost = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    cache_creation_cost = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    cache_read_cost = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    total_cost = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    actual_cost = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    rate_multiplier = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    account_rate_multiplier = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    billing_type = table.Column<short>(type: "INTEGER", nullable: false),
                    stream = table.Column<bool>(type: "INTEGER", nullable: false),
                    duration_ms = table.Column<int>(type: "INTEGER", nullable: true),
                    first_token_ms = table.Column<int>(type: "INTEGER", nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", nullable: true),
                    ip_address = table.Column<string>(type: "TEXT", nullable: true),
                    image_count = table.Column<int>(type: "INTEGER", nullable: false),
                    image_size = table.Column<string>(type: "TEXT", nullable: true),
                    reasoning_effort = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_logs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "user_subscriptions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    group_id = table.Column<long>(type: "INTEGER", nullable: false),
                    starts_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    daily_window_start = table.Column<DateTime>(type: "TEXT", nullable: true),
                    weekly_window_start = table.Column<DateTime>(type: "TEXT", nullable: true),
                    monthly_window_start = table.Column<DateTime>(type: "TEXT", nullable: true),
                    daily_usage_usd = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    weekly_usage_usd = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    monthly_usage_usd = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    assigned_by = table.Column<long>(type: "INTEGER", nullable: true),
                    assigned_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    notes = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    deleted_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_subscriptions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    email = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    balance = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    concurrency = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    username = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    notes = table.Column<string>(type: "TEXT", nullable: false),
                    token_version = table.Column<long>(type: "INTEGER", nullable: false),
                    totp_secret_encrypted = table.Column<string>(type: "TEXT", nullable: true),
                    totp_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    totp_enabled_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    deleted_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_users", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "account_groups",
                columns: table => new
                {
                    account_id = table.Column<long>(type: "INTEGER", nullable: false),
                    group_id = table.Column<long>(type: "INTEGER", nullable: false),
                    priority = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_account_groups", x => new { x.account_id, x.group_id });
                    table.ForeignKey(
                        name: "fk_account_groups_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    key_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    key_hint = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    group_id = table.Column<long>(type: "INTEGER", nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ip_whitelist = table.Column<string>(type: "TEXT", nullable: false),
                    ip_blacklist = table.Column<string>(type: "TEXT", nullable: false),
                    quota = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    quota_used = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_used_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    deleted_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => x.id);
                    table.ForeignKey(
                        name: "fk_api_keys_groups_group_id",
                        column: x => x.group_id,
                        principalTable: "groups",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_api_keys_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "user_allowed_groups",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    group_id = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_allowed_groups", x => new { x.user_id, x.group_id });
                    table.ForeignKey(
                        name: "fk_user_allowed_groups_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_group_rate_multipliers",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    group_id = table.Column<long>(type: "INTEGER", nullable: false),
                    rate = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_group_rate_multipliers", x => new { x.user_id, x.group_id });
                    table.ForeignKey(
                        name: "fk_user_group_rate_multipliers_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_account_groups_group_id",
                table: "account_groups",
                column: "group_id");

            migrationBuilder.CreateIndex(
                name: "ix_accounts_platform_status",
                table: "accounts",
                columns: new[] { "platform", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_group_id",
                table: "api_keys",
                column: "group_id");

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_key_hash",
                table: "api_keys",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_user_id",
                table: "api_keys",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_groups_name",
                table: "groups",
                column: "name",
                unique: true,
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_redeem_codes_code",
                table: "redeem_codes",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_redeem_codes_used_by",
                table: "redeem_codes",
                column: "used_by");

            migrationBuilder.CreateIndex(
                name: "ix_refresh_tokens_family_id",
                table: "refresh_tokens",
                column: "family_id");

            migrationBuilder.CreateIndex(
                name: "ix_refresh_tokens_token_hash",
                table: "refresh_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_refresh_tokens_user_id",
                table: "refresh_tokens",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_usage_logs_account_id_created_at",
                table: "usage_logs",
                columns: new[] { "account_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_usage_logs_api_key_id_created_at",
                table: "usage_logs",
                columns: new[] { "api_key_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_usage_logs_created_at",
                table: "usage_logs",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_usage_logs_request_id_api_key_id",
                table: "usage_logs",
                columns: new[] { "request_id", "api_key_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_usage_logs_user_id_created_at",
                table: "usage_logs",
                columns: new[] { "user_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_user_subscriptions_user_id_group_id",
                table: "user_subscriptions",
                columns: new[] { "user_id", "group_id" });

            migrationBuilder.CreateIndex(
                name: "ix_users_email",
                table: "users",
                column: "email",
                unique: true,
                filter: "deleted_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_groups");

            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "proxies");

            migrationBuilder.DropTable(
                name: "redeem_codes");

            migrationBuilder.DropTable(
                name: "refresh_tokens");

            migrationBuilder.DropTable(
                name: "settings");

            migrationBuilder.DropTable(
                name: "usage_logs");

            migrationBuilder.DropTable(
                name: "user_allowed_groups");

            migrationBuilder.DropTable(
                name: "user_group_rate_multipliers");

            migrationBuilder.DropTable(
                name: "user_subscriptions");

            migrationBuilder.DropTable(
                name: "accounts");

            migrationBuilder.DropTable(
                name: "groups");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
