using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Sub2Api.Data.Migrations.Postgres
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    priority = table.Column<int>(type: "integer", nullable: false),
                    error_codes = table.Column<string>(type: "text", nullable: false),
                    keywords = table.Column<string>(type: "text", nullable: false),
                    match_mode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    platforms = table.Column<string>(type: "text", nullable: false),
                    passthrough_code = table.Column<bool>(type: "boolean", nullable: false),
                    response_code = table.Column<int>(type: "integer", nullable: true),
                    passthrough_body = table.Column<bool>(type: "boolean", nullable: false),
                    custom_message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    skip_monitoring = table.Column<bool>(type: "boolean", nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
