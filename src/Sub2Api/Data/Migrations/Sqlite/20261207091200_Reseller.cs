using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sub2Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Reseller : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The original's proxy status is active|inactive; this project stored "disabled" before.
            migrationBuilder.Sql("UPDATE proxies SET status = 'inactive' WHERE status = 'disabled'");

            migrationBuilder.CreateTable(
                name: "announcement_reads",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    announcement_id = table.Column<long>(type: "INTEGER", nullable: false),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    read_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_announcement_reads", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "announcements",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    content = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    targeting = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    starts_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ends_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_by = table.Column<long>(type: "INTEGER", nullable: true),
                    updated_by = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_announcements", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "auth_challenges",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    purpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    user_id = table.Column<long>(type: "INTEGER", nullable: true),
                    secret_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    consumed_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_auth_challenges", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "promo_code_usages",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    promo_code_id = table.Column<long>(type: "INTEGER", nullable: false),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    bonus_amount = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    used_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_promo_code_usages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "promo_codes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    bonus_amount = table.Column<decimal>(type: "TEXT", precision: 24, scale: 12, nullable: false),
                    max_uses = table.Column<int>(type: "INTEGER", nullable: false),
                    used_count = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    notes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_promo_codes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "usage_cleanup_tasks",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    filters = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    created_by = table.Column<long>(type: "INTEGER", nullable: false),
                    deleted_rows = table.Column<long>(type: "INTEGER", nullable: false),
                    error_message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    canceled_by = table.Column<long>(type: "INTEGER", nullable: true),
                    canceled_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    finished_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_usage_cleanup_tasks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "user_attribute_definitions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    options = table.Column<string>(type: "TEXT", nullable: false),
                    required = table.Column<bool>(type: "INTEGER", nullable: false),
                    validation = table.Column<string>(type: "TEXT", nullable: false),
                    placeholder = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    display_order = table.Column<int>(type: "INTEGER", nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    deleted_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_attribute_definitions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "user_attribute_values",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<long>(type: "INTEGER", nullable: false),
                    attribute_id = table.Column<long>(type: "INTEGER", nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_attribute_values", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_announcement_reads_announcement_id_user_id",
                table: "announcement_reads",
                columns: new[] { "announcement_id", "user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_announcement_reads_user_id",
                table: "announcement_reads",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "ix_announcements_status_starts_at",
                table: "announcements",
                columns: new[] { "status", "starts_at" });

            migrationBuilder.CreateIndex(
                name: "ix_auth_challenges_expires_at",
                table: "auth_challenges",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "ix_auth_challenges_purpose_email_created_at",
                table: "auth_challenges",
                columns: new[] { "purpose", "email", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_auth_challenges_secret_hash",
                table: "auth_challenges",
                column: "secret_hash");

            migrationBuilder.CreateIndex(
                name: "ix_promo_code_usages_promo_code_id_user_id",
                table: "promo_code_usages",
                columns: new[] { "promo_code_id", "user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_promo_codes_code",
                table: "promo_codes",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_usage_cleanup_tasks_status",
                table: "usage_cleanup_tasks",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_user_attribute_definitions_key",
                table: "user_attribute_definitions",
                column: "key",
                unique: true,
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_user_attribute_values_user_id_attribute_id",
                table: "user_attribute_values",
                columns: new[] { "user_id", "attribute_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE proxies SET status = 'disabled' WHERE status = 'inactive'");

            migrationBuilder.DropTable(
                name: "announcement_reads");

            migrationBuilder.DropTable(
                name: "announcements");

            migrationBuilder.DropTable(
                name: "auth_challenges");

            migrationBuilder.DropTable(
                name: "promo_code_usages");

            migrationBuilder.DropTable(
                name: "promo_codes");

            migrationBuilder.DropTable(
                name: "usage_cleanup_tasks");

            migrationBuilder.DropTable(
                name: "user_attribute_definitions");

            migrationBuilder.DropTable(
                name: "user_attribute_values");
        }
    }
}
