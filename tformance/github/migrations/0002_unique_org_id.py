from django.db import migrations, models
from django.db.models import Count


def refuse_duplicate_organisations(apps, schema_editor):
    """Stop with the teams to resolve, rather than drop or merge anyone's data unasked."""
    GitHubIntegration = apps.get_model("github", "GitHubIntegration")
    shared = (
        GitHubIntegration.objects.exclude(org_id=None)
        .values("org_id")
        .annotate(teams=Count("id"))
        .filter(teams__gt=1)
    )
    if not shared:
        return
    lines = []
    for row in shared:
        rows = GitHubIntegration.objects.filter(org_id=row["org_id"]).select_related("team")
        slugs = ", ".join(sorted(i.team.slug for i in rows))
        lines.append(f"  organisation {rows[0].org_login or row['org_id']}: teams {slugs}")
    raise RuntimeError(
        "One GitHub organisation may now have only one team, but these share one:\n"
        + "\n".join(lines)
        + "\nKeep one team per organisation (move its people with invitations, then delete "
        "the other teams in the admin), and migrate again."
    )


class Migration(migrations.Migration):
    dependencies = [
        ("github", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicate_organisations, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="githubintegration",
            constraint=models.UniqueConstraint(
                fields=("org_id",), name="github_integration_unique_org_id"
            ),
        ),
    ]
