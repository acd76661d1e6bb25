from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from backend.api.rest.stats import StatsApi

from backend.api.rest import auth, callbacks, executions, functions, roles, state_test, templates, validation

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/csrf/", auth.CsrfApi.as_view(), name="api-csrf"),
    path("auth/login/", auth.LoginApi.as_view(), name="api-login"),
    path("auth/logout/", auth.LogoutApi.as_view(), name="api-logout"),
    path("auth/me/", auth.MeApi.as_view(), name="api-me"),
    path("auth/token/", auth.TokenApi.as_view(), name="api-token"),
    path("auth/credentials/", auth.CredentialCollectionApi.as_view(), name="api-credentials"),
    path("auth/credentials/<str:secret_id>/", auth.CredentialItemApi.as_view(), name="api-credential"),
    path("templates/", templates.TemplateCollectionApi.as_view(), name="api-templates"),
    path("templates/<int:template_id>/", templates.TemplateItemApi.as_view(), name="api-template"),
    path("templates/<int:template_id>/versions/", templates.VersionListApi.as_view(), name="api-versions"),
    path("templates/<int:template_id>/versions/<int:number>/", templates.VersionDetailApi.as_view(), name="api-version"),
    path("roles/", roles.RoleCollectionApi.as_view(), name="api-roles"),
    path("roles/<int:role_id>/", roles.RoleItemApi.as_view(), name="api-role"),
    path("functions/", functions.FunctionCollectionApi.as_view(), name="api-functions"),
    path("functions/<int:function_id>/", functions.FunctionItemApi.as_view(), name="api-function"),
    path("functions/<int:function_id>/invoke/", functions.FunctionInvokeApi.as_view(), name="api-function-invoke"),
    path("executions/", executions.ExecutionCollectionApi.as_view(), name="api-executions"),
    path("executions/<int:execution_id>/", executions.ExecutionDetailApi.as_view(), name="api-execution"),
    path("executions/<int:execution_id>/stop/", executions.ExecutionStopApi.as_view(), name="api-execution-stop"),
    path("executions/<int:execution_id>/redrive/", executions.ExecutionRedriveApi.as_view(), name="api-execution-redrive"),
    path("executions/<int:execution_id>/history/", executions.ExecutionHistoryApi.as_view(), name="api-execution-history"),
    path("tasks/success/", callbacks.TaskSuccessApi.as_view(), name="api-task-success"),
    path("tasks/failure/", callbacks.TaskFailureApi.as_view(), name="api-task-failure"),
    path("tasks/heartbeat/", callbacks.TaskHeartbeatApi.as_view(), name="api-task-heartbeat"),
    path("validate/", validation.DefinitionValidateApi.as_view(), name="api-validate"),
    path("test-state/", state_test.StateTestApi.as_view(), name="api-test-state"),
    path("stats/", StatsApi.as_view(), name="api-stats"),
]
