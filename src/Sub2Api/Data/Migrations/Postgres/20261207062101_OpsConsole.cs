using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Sub2Api.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OpsConsole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ops_alert_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    rule_id = table.Column<long>(type: "bigint", nullable: false),
                    severity = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    metric_value = table.Column<double>(type: "double precision", nullable: true),
                    threshold_value = table.Column<double>(type: "double precision", nullable: true),
                    dimensions = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    fired_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    email_sent = table.Column<bool>(type: "boolean", nullable: false),
                    webhook_sent = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ops_alert_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ops_alert_rules",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    severity = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    metric_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    @operator = table.Column<string>(name: "operator", type: "character varying(4)", maxLength: 4, nullable: false),
                    threshold = table.Column<double>(type: "double precision", nullable: false),
                    window_minutes = table.Column<int>(type: "integer", nullable: false),
                    sustained_minutes = table.Column<int>(type: "integer", nullable: false),
                    cooldown_minutes = table.Column<int>(type: "integer", nullable: false),
                    notify_email = table.Column<bool>(type: "boolean", nullable: false),
                    notify_webhook = table.Column<bool>(type: "boolean", nullable: false),
                    filters = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    last_triggered_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    breaching_since = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ops_alert_rules", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ops_alert_silences",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    rule_id = table.Column<long>(type: "bigint", nullable: false),
                    platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    group_id = table.Column<long>(type: "bigint", nullable: true),
                    until = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    created_by = table.Column<long>(type: "bigint", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ops_alert_silences", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ops_error_logs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    phase = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    owner = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    severity = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: false),
                    platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    request_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: true),
                    api_key_id = table.Column<long>(type: "bigint", nullable: true),
                    account_id = table.Column<long>(type: "bigint", nullable: true),
                    group_id = table.Column<long>(type: "bigint", nullable: true),
                    client_ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    request_path = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    stream = table.Column<bool>(type: "boolean", nullable: false),
                    upstream_status_code = table.Column<int>(type: "integer", nullable: true),
                    upstream_error_message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    upstream_error_detail = table.Column<string>(type: "text", nullable: true),
                    failed_over = table.Column<bool>(type: "boolean", nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    duration_ms = table.Column<int>(type: "integer", nullable: true),
                    time_to_first_token_ms = table.Column<int>(type: "integer", nullable: true),
                    request_body = table.Column<string>(type: "text", nullable: true),
                    request_body_bytes = table.Column<int>(type: "integer", nullable: true),
                    request_body_truncated = table.Column<bool>(type: "boolean", nullable: false),
                    resolved = table.Column<bool>(type: "boolean", nullable: false),
                    resolved_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    resolved_by_user_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ops_error_logs", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ops_alert_events_fired_at",
                table: "ops_alert_events",
                column: "fired_at");

            migrationBuilder.CreateIndex(
                name: "ix_ops_alert_events_rule_id_status",
                table: "ops_alert_events",
                columns: new[] { "rule_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_ops_alert_silences_rule_id_until",
                table: "ops_alert_silences",
                columns: new[] { "rule_id", "until" });

            migrationBuilder.CreateIndex(
                name: "ix_ops_error_logs_account_id_created_at",
                table: "ops_error_logs",
                columns: new[] { "account_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_ops_error_logs_created_at",
                table: "ops_error_logs",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_ops_error_logs_kind_created_at",
                table: "ops_error_logs",
                columns: new[] { "kind", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_ops_error_logs_request_id",
                table: "ops_error_logs",
                column: "request_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ops_alert_events");

            migrationBuilder.DropTable(
                name: "ops_alert_rules");

            migrationBuilder.DropTable(
                name: "ops_alert_silences");

            migrationBuilder.DropTable(
                name: "ops_error_logs");
        }
    }
}
