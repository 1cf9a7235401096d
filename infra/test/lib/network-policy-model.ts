// The egress half of the NetworkPolicy model the reachability checks use (system/network-policies.ts),
// on the cases that decide whether the web pod can resolve names under the VPC CNI.
import t from 'tap';
import { egressAllowed, type Destination, type PodRef } from '../system/network-policies.js';
import type { Manifest } from '../system/argocd-render.js';

const web: PodRef = { namespace: 'zumo', labels: { app: 'web' }, cidrs: ['10.40.0.0/20'] };
const kubeSystem = { 'kubernetes.io/metadata.name': 'kube-system' };
const dnsService: Destination = {
  kind: 'service',
  service: { namespace: 'kube-system', selector: { 'k8s-app': 'kube-dns' } },
};
const corednsPod: Destination = {
  kind: 'pod',
  pod: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, cidrs: ['10.40.16.0/20'] },
};
const otherKubeSystemPod: Destination = {
  kind: 'pod',
  pod: {
    namespace: 'kube-system',
    labels: { 'app.kubernetes.io/name': 'metrics-server' },
    cidrs: ['10.40.16.0/20'],
  },
};

const policy = (to: unknown[] | undefined): Manifest =>
  ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web', namespace: 'zumo' },
    spec: {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ ...(to ? { to } : {}), ports: [{ port: 53, protocol: 'UDP' }] }],
    },
  }) as Manifest;
const allowed = (p: Manifest, to: Destination, port = 53) => egressAllowed([p], true, web, to, port, true);

t.test('a namespace-only peer: the controller adds every Service of the namespace, so DNS works', async (t) => {
  const p = policy([{ namespaceSelector: { matchLabels: kubeSystem } }]);
  t.ok(allowed(p, dnsService), "kube-dns's ClusterIP (a nil podSelector matches every Service's selector)");
  t.ok(allowed(p, otherKubeSystemPod), 'and every other pod of kube-system on 53');
});

t.test('namespace and kube-dns pod selector: the Service and CoreDNS, nothing else', async (t) => {
  const p = policy([
    { namespaceSelector: { matchLabels: kubeSystem }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
  ]);
  t.ok(allowed(p, dnsService));
  t.ok(allowed(p, corednsPod));
  t.notOk(allowed(p, otherKubeSystemPod));
  t.notOk(allowed(p, dnsService, 443), 'only on the rule port');
});

t.test("a pod selector that is not the Service's selector admits the pods but not the ClusterIP", async (t) => {
  const p = policy([
    {
      namespaceSelector: { matchLabels: kubeSystem },
      podSelector: { matchLabels: { 'eks.amazonaws.com/component': 'coredns' } },
    },
  ]);
  const labelled: Destination = {
    kind: 'pod',
    pod: { ...corednsPod.pod, labels: { 'k8s-app': 'kube-dns', 'eks.amazonaws.com/component': 'coredns' } },
  };
  t.ok(allowed(p, labelled), 'the CoreDNS pods themselves');
  t.notOk(allowed(p, dnsService), 'but the pod dials the ClusterIP, judged before translation: DNS fails');
});

t.test('no egress policy, a rule without peers, or no enforcement: everything goes', async (t) => {
  const ingressOnly = {
    ...policy(undefined),
    spec: { ...policy(undefined).spec, policyTypes: ['Ingress'] },
  } as Manifest;
  t.ok(allowed(ingressOnly, otherKubeSystemPod, 8443));
  t.ok(allowed(policy(undefined), otherKubeSystemPod), 'ports only: any destination on 53');
  t.ok(egressAllowed([policy([])], false, web, otherKubeSystemPod, 8443, true), 'not enforced');
});
