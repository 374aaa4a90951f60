package dev.keyline.deploy.manifests;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keyline's own rules for its Kubernetes manifests, beyond what the API schema says: enough replicas to survive
 * a node, health probes on Quarkus' endpoints, resources, a disruption budget and a network policy that select
 * the pods, a locked-down security context, only real configuration keys, and no secret in clear.
 */
final class KubernetesRules {
    static final String READY = "/q/health/ready";
    static final String LIVE = "/q/health/live";

    /**
     * Variables whose value is a secret or may carry one (a URI with a password; the operator keys' hashes, which
     * would let anyone test guesses offline): they must come from a Secret.
     */
    static final Pattern SECRET_NAME =
            Pattern.compile(".*(PASSWORD|SECRET|SECRET_ID|_TOKEN|CURSOR_KEY|MASTER_KEY|_URI|_SHA256)");
    /** A URL with credentials in it, e.g. {@code mongodb://user:password@host}. */
    static final Pattern URL_WITH_PASSWORD = Pattern.compile("[a-z][a-z0-9+.-]*://[^/@\\s]+:[^/@\\s]+@.*");
    /** The blocks the Internet egress rule must exclude: the cluster, the node network and cloud metadata. */
    static final Set<String> PRIVATE_RANGES = Set.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");

    private final List<HasMetadata> objects;
    private final ConfigKeys keys;
    private final Optional<Secret> secretExample;
    private final List<String> violations = new ArrayList<>();

    private KubernetesRules(List<HasMetadata> objects, ConfigKeys keys, Optional<Secret> secretExample) {
        this.objects = objects;
        this.keys = keys;
        this.secretExample = secretExample;
    }

    /** Every rule broken by the objects; empty when they are fit to deploy. */
    static List<String> check(List<HasMetadata> objects, ConfigKeys keys, Optional<Secret> secretExample) {
        KubernetesRules rules = new KubernetesRules(objects, keys, secretExample);
        rules.run();
        return List.copyOf(rules.violations);
    }

    private void run() {
        List<Deployment> deployments = all(Deployment.class);
        if (deployments.isEmpty()) {
            violations.add("no Deployment");
        }
        for (Deployment deployment : deployments) {
            deployment(deployment);
        }
        for (ConfigMap configMap : all(ConfigMap.class)) {
            configMap(configMap);
        }
        for (Secret secret : all(Secret.class)) {
            violations.add("Secret/" + name(secret) + " is committed with the manifests; keep secrets out of them");
        }
        secretExample.ifPresent(this::secretExample);
    }

    private void deployment(Deployment deployment) {
        String where = "Deployment/" + name(deployment);
        Integer replicas = deployment.getSpec().getReplicas();
        if (replicas == null || replicas < 2) {
            violations.add(where + " runs " + (replicas == null ? "1 (default)" : replicas)
                    + " replica(s); at least 2 are needed to survive a node or a rollout");
        }
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata() == null
                ? Map.of()
                : Objects.requireNonNullElse(
                        deployment.getSpec().getTemplate().getMetadata().getLabels(), Map.of());
        if (!matches(deployment.getSpec().getSelector(), podLabels)) {
            violations.add(where + ": spec.selector does not match the pod template's labels");
        }
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        podSecurity(where, pod);
        if (pod.getServiceAccountName() != null
                && all(ServiceAccount.class).stream().noneMatch(a -> name(a).equals(pod.getServiceAccountName()))) {
            violations.add(
                    where + " uses service account " + pod.getServiceAccountName() + ", which no manifest defines");
        }
        for (Container container : pod.getContainers()) {
            container(where + " container " + container.getName(), container, pod);
        }

        List<PodDisruptionBudget> budgets = all(PodDisruptionBudget.class).stream()
                .filter(b -> matches(b.getSpec().getSelector(), podLabels))
                .toList();
        if (budgets.isEmpty()) {
            violations.add(where + ": no PodDisruptionBudget selects its pods");
        }
        for (PodDisruptionBudget budget : budgets) {
            IntOrString min = budget.getSpec().getMinAvailable();
            if (min != null && min.getIntVal() != null && replicas != null && min.getIntVal() >= replicas) {
                violations.add("PodDisruptionBudget/" + name(budget) + " keeps " + min.getIntVal() + " of " + replicas
                        + " pods: no node could ever be drained");
            }
        }
        services(where, pod, podLabels);
        networkPolicy(where, podLabels);
    }

    private void podSecurity(String where, PodSpec pod) {
        PodSecurityContext context = pod.getSecurityContext();
        if (context == null || !Boolean.TRUE.equals(context.getRunAsNonRoot())) {
            violations.add(where + ": the pod must set securityContext.runAsNonRoot: true");
        }
        if (context == null
                || context.getSeccompProfile() == null
                || !"RuntimeDefault".equals(context.getSeccompProfile().getType())) {
            violations.add(where + ": the pod must use the RuntimeDefault seccomp profile");
        }
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())) {
            violations.add(where + ": host namespaces are not allowed");
        }
    }

    private void container(String where, Container container, PodSpec pod) {
        probe(where, "readinessProbe", container.getReadinessProbe(), READY, container);
        probe(where, "livenessProbe", container.getLivenessProbe(), LIVE, container);
        resources(where, container.getResources());
        SecurityContext security = container.getSecurityContext();
        if (security == null) {
            violations.add(where + " has no securityContext");
        } else {
            if (!Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
                violations.add(where + ": readOnlyRootFilesystem must be true");
            }
            if (!Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
                violations.add(where + ": allowPrivilegeEscalation must be false");
            }
            if (security.getCapabilities() == null
                    || security.getCapabilities().getDrop() == null
                    || !security.getCapabilities().getDrop().contains("ALL")) {
                violations.add(where + ": capabilities must drop ALL");
            }
            if (security.getCapabilities() != null
                    && security.getCapabilities().getAdd() != null
                    && !security.getCapabilities().getAdd().isEmpty()) {
                violations.add(where + ": adds capabilities "
                        + security.getCapabilities().getAdd());
            }
            if (Boolean.TRUE.equals(security.getPrivileged())) {
                violations.add(where + " is privileged");
            }
        }
        String image = container.getImage();
        if (image == null || image.endsWith(":latest")) {
            violations.add(where + ": the image must be named and not :latest");
        }
        for (EnvVar env : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            envVar(where, env);
        }
        for (EnvFromSource from : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
            if (from.getConfigMapRef() != null) {
                String name = from.getConfigMapRef().getName();
                if (all(ConfigMap.class).stream().noneMatch(c -> name(c).equals(name))) {
                    violations.add(where + " reads ConfigMap " + name + ", which no manifest defines");
                }
            }
            if (from.getSecretRef() != null) {
                violations.add(where + ": envFrom a Secret hides which keys it sets; use secretKeyRef per variable");
            }
            if (from.getPrefix() != null) {
                violations.add(where + ": envFrom prefixes are not allowed (the keys are the variable names)");
            }
        }
    }

    private void probe(String where, String which, Probe probe, String path, Container container) {
        if (probe == null) {
            violations.add(where + " has no " + which);
            return;
        }
        HTTPGetAction get = probe.getHttpGet();
        if (get == null || !path.equals(get.getPath())) {
            violations.add(where + ": " + which + " must be an HTTP GET of " + path);
            return;
        }
        if (!declaresPort(container, get.getPort())) {
            violations.add(where + ": " + which + " uses port " + portText(get.getPort())
                    + ", which the container does not declare");
        }
    }

    private void resources(String where, ResourceRequirements resources) {
        Map<String, Quantity> requests = resources == null ? null : resources.getRequests();
        Map<String, Quantity> limits = resources == null ? null : resources.getLimits();
        for (String resource : List.of("cpu", "memory")) {
            if (requests == null || !requests.containsKey(resource)) {
                violations.add(where + " requests no " + resource);
            }
        }
        if (limits == null || !limits.containsKey("memory")) {
            violations.add(where + " has no memory limit");
        } else if (requests != null && requests.containsKey("memory")) {
            if (Quantity.getAmountInBytes(limits.get("memory"))
                            .compareTo(Quantity.getAmountInBytes(requests.get("memory")))
                    < 0) {
                violations.add(where + ": the memory limit is below the request");
            }
        }
    }

    private void envVar(String where, EnvVar env) {
        keys.problemWithEnv(env.getName()).ifPresent(problem -> violations.add(where + ": " + problem));
        if (env.getValue() != null && (SECRET_NAME.matcher(env.getName()).matches() || looksSecret(env.getValue()))) {
            violations.add(where + ": " + env.getName() + " has a literal value; take it from a Secret (secretKeyRef)");
        }
        if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
            var ref = env.getValueFrom().getSecretKeyRef();
            boolean known = secretExample
                    .filter(s -> name(s).equals(ref.getName()))
                    .map(s -> s.getStringData() != null && s.getStringData().containsKey(ref.getKey()))
                    .orElse(false);
            if (!known) {
                violations.add(where + ": " + env.getName() + " reads " + ref.getName() + "/" + ref.getKey()
                        + ", which the example Secret does not document");
            }
        }
    }

    private void configMap(ConfigMap configMap) {
        String where = "ConfigMap/" + name(configMap);
        Map<String, String> data = Objects.requireNonNullElse(configMap.getData(), Map.of());
        for (Map.Entry<String, String> entry : data.entrySet()) {
            keys.problemWithEnv(entry.getKey()).ifPresent(problem -> violations.add(where + ": " + problem));
            if (SECRET_NAME.matcher(entry.getKey()).matches() || looksSecret(entry.getValue())) {
                violations.add(where + ": " + entry.getKey() + " looks secret; it belongs in a Secret");
            }
        }
    }

    private void secretExample(Secret secret) {
        String where = "the example Secret " + name(secret);
        if (secret.getData() != null && !secret.getData().isEmpty()) {
            violations.add(where + " must use stringData placeholders, not data");
        }
        Map<String, String> values = Objects.requireNonNullElse(secret.getStringData(), Map.of());
        values.forEach((key, value) -> {
            keys.problemWithEnv(key).ifPresent(problem -> violations.add(where + ": " + problem));
            if (!value.startsWith("<") || !value.endsWith(">")) {
                violations.add(where + ": " + key + " holds a value; only <placeholders> may be committed");
            }
        });
    }

    private void services(String where, PodSpec pod, Map<String, String> podLabels) {
        for (Service service : all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty() || !podLabels.entrySet().containsAll(selector.entrySet())) {
                continue;
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                boolean declared = pod.getContainers().stream().anyMatch(c -> declaresPort(c, port.getTargetPort()));
                if (!declared) {
                    violations.add("Service/" + name(service) + " targets port " + portText(port.getTargetPort())
                            + ", which " + where + " does not declare");
                }
            }
        }
    }

    private void networkPolicy(String where, Map<String, String> podLabels) {
        List<NetworkPolicy> policies = all(NetworkPolicy.class).stream()
                .filter(p -> matches(p.getSpec().getPodSelector(), podLabels))
                .toList();
        if (policies.isEmpty()) {
            violations.add(where + ": no NetworkPolicy selects its pods");
            return;
        }
        for (NetworkPolicy policy : policies) {
            String name = "NetworkPolicy/" + name(policy);
            List<String> types = Objects.requireNonNullElse(policy.getSpec().getPolicyTypes(), List.of());
            if (!types.contains("Ingress") || !types.contains("Egress")) {
                violations.add(name + " must restrict both Ingress and Egress");
            }
            List<NetworkPolicyEgressRule> egress =
                    Objects.requireNonNullElse(policy.getSpec().getEgress(), List.of());
            boolean dns = false;
            for (NetworkPolicyEgressRule rule : egress) {
                List<NetworkPolicyPort> ports = Objects.requireNonNullElse(rule.getPorts(), List.of());
                List<NetworkPolicyPeer> to = Objects.requireNonNullElse(rule.getTo(), List.of());
                if (ports.isEmpty()) {
                    violations.add(name + ": an egress rule without ports allows every port");
                }
                if (to.isEmpty()) {
                    violations.add(name + ": an egress rule without destinations allows every address");
                }
                dns |= ports.stream()
                        .anyMatch(p -> p.getPort() != null
                                && Integer.valueOf(53).equals(p.getPort().getIntVal()));
                for (NetworkPolicyPeer peer : to) {
                    if (peer.getIpBlock() != null
                            && "0.0.0.0/0".equals(peer.getIpBlock().getCidr())) {
                        List<String> except =
                                Objects.requireNonNullElse(peer.getIpBlock().getExcept(), List.of());
                        if (!except.containsAll(PRIVATE_RANGES)) {
                            violations.add(name + ": the egress to 0.0.0.0/0 must exclude " + PRIVATE_RANGES);
                        }
                        boolean onlyHttps = !ports.isEmpty()
                                && ports.stream()
                                        .allMatch(p -> p.getPort() != null
                                                && Integer.valueOf(443)
                                                        .equals(p.getPort().getIntVal()));
                        if (!onlyHttps) {
                            violations.add(name + ": the egress to the Internet must be limited to port 443");
                        }
                    }
                }
            }
            if (!dns) {
                violations.add(name + " allows no DNS (port 53): Keyline could not resolve anything");
            }
        }
    }

    private static boolean declaresPort(Container container, IntOrString port) {
        if (port == null) {
            return false;
        }
        List<ContainerPort> ports = Objects.requireNonNullElse(container.getPorts(), List.of());
        return port.getStrVal() != null
                ? ports.stream().anyMatch(p -> port.getStrVal().equals(p.getName()))
                : ports.stream().anyMatch(p -> Objects.equals(port.getIntVal(), p.getContainerPort()));
    }

    private static String portText(IntOrString port) {
        return port == null ? "(none)" : port.getStrVal() != null ? port.getStrVal() : String.valueOf(port.getIntVal());
    }

    /** Only matchLabels selectors are used here; a selector with expressions is not understood, so it fails. */
    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null
                || selector.getMatchLabels() == null
                || selector.getMatchLabels().isEmpty()) {
            return false;
        }
        if (selector.getMatchExpressions() != null
                && !selector.getMatchExpressions().isEmpty()) {
            return false;
        }
        return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    private static boolean looksSecret(String value) {
        return value != null && URL_WITH_PASSWORD.matcher(value).matches();
    }

    private <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static String name(HasMetadata object) {
        return object.getMetadata().getName();
    }
}
