using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sub2Api.Data.Migrations.Sqlite
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
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    rule_id = table.Column<long>(type: "INTEGER", nullable: false),
                    severity = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    metric_value = table.Column<double>(type: "REAL", nullable: true),
                    threshold_value = table.Column<double>(type: "REAL", nullable: true),
                    dimensions = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    fired_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    resolved_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    email_sent = table.Column<bool>(type: "INTEGER", nullable: false),
                    webhook_sent = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ops_alert_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ops_alert_rules",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    severity = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    metric_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    @operator = table.Column<string>(name: "operator", type: "TEXT", maxLength: 4, nullable: false),
                    threshold = table.Column<double>(type: "REAL", nullable: false),
                    window_minutes = table.Column<int>(type: "INTEGER", nullable: false),
                    sustained_minutes = table.Column<int>(type: "INTEGER", nullable: false),
                    cooldown_minutes = table.Column<int>(type: "INTEGER", nullable: false),
                    notify_email = table.Column<bool>(type: "INTEGER", nullable: false),
                    notify_webhook = table.Column<bool>(type: "INTEGER", nullable: false),
                    filters = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    last_triggered_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    breaching_since = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ops_alert_rules", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ops_alert_silences",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    rule_id = table.Column<long>(type: "INTEGER", nullable: false),
                    platform = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    group_id = table.Column<long>(type: "INTEGER", nullable: true),
                    until = table.Column<DateTime>(type: "TEXT", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    created_by = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ops_alert_silences", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ops_error_logs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    phase = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    owner = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    severity = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    status_code = table.Column<int>(type: "INTEGER", nullable: false),
                    platform = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    api_key_id = table.Column<long>(type: "INTEGER", nullable: true),
                    account_id = table.Column<long>(type: "INTEGER", nullable: true),
                    group_id = table.Column<long>(type: "INTEGER", nullable: true),
                    client_ip = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    request_path = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    stream = table.Column<bool>(type: "INTEGER", nullable: false),
                    upstream_status_code = table.Column<int>(type: "INTEGER", nullable: true),
                    upstream_error_message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    upstream_error_detail = table.Column<string>(type: "TEXT", nullable: true),
                    failed_over = table.Column<bool>(type: "INTEGER", nullable: false),
                    attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    duration_ms = table.Column<int>(type: "INTEGER", nullable: true),
                    time_to_first_token_ms = table.Column<int>(type: "INTEGER", nullable: true),
                    request_body = table.Column<string>(type: "TEXT", nullable: true),
                    request_body_bytes = table.Column<int>(type: "INTEGER", nullable: true),
                    request_body_truncated = table.Column<bool>(type: "INTEGER", nullable: false),
                    resolved = table.Column<bool>(type: "INTEGER", nullable: false),
                    resolved_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    resolved_by_user_id = table.Column<long>(type: "INTEGER", nullable: true)
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
