"""Background tasks (Django tasks; `regietafel db_worker` runs them)."""

from django_tasks import task

from regietafel.reports import services
from regietafel.reports.models import ReportJob


@task()
def run_report_job(job_id: str) -> str:
    job = ReportJob.objects.select_related("region", "created_by").get(pk=job_id)
    if job.status != ReportJob.Status.QUEUED:
        return job.status  # already run (a task delivered twice does the work once)
    return services.run(job).status
