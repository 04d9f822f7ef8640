# Attribute values whose hcl2json form hcl2json-templates.test.ts evaluates.
management_account = account.management.id
conditional        = var.x > 3 ? "big" : "small"
tags               = { a = "b${var.x}", "k-1" = var.name }
escaped            = "$${x} and %%{y}"
escapes            = "tab\there \"quoted\" back\\slash \u00e9"
backslash_interp   = "x\\${var.name}"
for_each           = toset(["b", "a", "b"])
number             = 35
negative           = -1
flag               = true
nothing            = null
list               = [1, "two", var.x]
sum                = 1 + 2 * 3
stripped           = "a  ${~ var.name ~}  b"
directive          = "%{ if var.x > 1 }yes%{ else }no%{ endif }"
loop               = "%{ for v in var.l }${v};%{ endfor }"
heredoc            = <<EOT
hello ${var.name}
  world
EOT
flush              = <<-EOT
    %{~ for v in var.l ~}
    - ${v}
    %{~ endfor ~}
    EOT
for_expr           = { for k in var.l : k => upper(k) }
format             = format("%s-%03d", var.name, var.x)
nested_quotes      = "${upper("x\"y")}-${lookup({ a = "}" }, "a")}"
index              = { prod = "p" }[each.key]
