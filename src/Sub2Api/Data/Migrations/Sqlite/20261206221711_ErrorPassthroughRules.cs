using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sub2Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ErrorPassthroughRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "error_passthrough_rules",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    priority = table.Column<int>(type: "INTEGER", nullable: false),
                    error_codes = table.Column<string>(type: "TEXT", nullable: false),
                    keywords = table.Column<string>(type: "TEXT", nullable: false),
                    match_mode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    platforms = table.Column<string>(type: "TEXT", nullable: false),
                    passthrough_code = table.Column<bool>(type: "INTEGER", nullable: false),
                    response_code = table.Column<int>(type: "INTEGER", nullable: true),
                    passthrough_body = table.Column<bool>(type: "INTEGER", nullable: false),
                    custom_message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    skip_monitoring = table.Column<bool>(type: "INTEGER", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_error_passthrough_rules", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_error_passthrough_rules_enabled_priority",
                table: "error_passthrough_rules",
                columns: new[] { "enabled", "priority" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "error_passthrough_rules");
        }
    }
}
