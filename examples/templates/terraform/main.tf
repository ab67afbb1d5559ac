# Terraform (alicloud provider): flows are the `definition` of alicloud_fnf_flow resources.
# `${...}` is Terraform interpolation, filled in at plan time; `fdl check` treats it as a
# deploy-time placeholder and checks the rest.
variable "region" {
  default = "cn-hangzhou"
}

resource "alicloud_fc_function" "approve" {
  service = "approvals"
  name    = "approve"
  runtime = "python3.10"
  handler = "index.handler"
}

resource "alicloud_fnf_flow" "approval" {
  name        = "approval"
  description = "Waits for a human approval"
  type        = "FDL"
  role_arn    = alicloud_ram_role.flow.arn
  definition  = <<-EOT
    Type: StateMachine
    SpecVersion: v1
    Name: approval
    StartAt: 等待审批
    States:
      - Type: Task
        Name: 等待审批
        Action: FC:InvokeFunction
        TaskMode: WaitForCustomCallback
        Parameters:
          resourceArn: acs:fc:${var.region}:${data.alicloud_account.current.id}:functions/${alicloud_fc_function.approve.name}
          invocationType: Async
          body:
            token.$: $Context.Current.TaskToken
        Timeout: "86400"
        End: true
  EOT
}

resource "alicloud_fnf_flow" "hello" {
  name        = "hello"
  description = "The smallest legacy flow"
  type        = "FDL"
  definition  = "version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: hello\n"
}
