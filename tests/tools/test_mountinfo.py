"""The one reader of /proc/self/mountinfo of the tools (common/tools/mountinfo.py)."""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', 'common', 'tools'))

import mountinfo  # noqa: E402

TABLE = '''\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 22 0:40 / /tmp/a\\040b rw,nosuid shared:5 master:2 - tmpfs tmp\\134fs rw
31 30 8:1 /src/with\\011tab /tmp/a\\040b/data rw - ext4 /dev/sda1 rw
'''


def test_fields_and_octal_escapes_are_decoded():
    root, tmp, bind = mountinfo.parse(TABLE)
    assert (root.id, root.parent, root.point, root.fstype) == ('22', '1', '/', 'ext4')
    assert tmp.point == '/tmp/a b' and tmp.source == 'tmp\\fs' and tmp.fstype == 'tmpfs'
    assert bind.root == '/src/with\ttab' and bind.point == '/tmp/a b/data'


def test_optional_fields_of_any_number_and_broken_lines():
    assert [m.fstype for m in mountinfo.parse(TABLE + 'garbage\n\n')] == ['ext4', 'tmpfs', 'ext4']


def test_new_since_compares_mount_ids():
    before = TABLE.splitlines()[0] + '\n'
    assert mountinfo.new_since(before, mountinfo.parse(TABLE)) == ['/tmp/a b', '/tmp/a b/data']
    assert mountinfo.new_since(TABLE, mountinfo.parse(TABLE)) == []


def test_inside():
    assert mountinfo.inside('/tmp/a', '/tmp/a') and mountinfo.inside('/tmp/a/b', '/tmp/a/')
    assert not mountinfo.inside('/tmp/ab', '/tmp/a') and mountinfo.inside('/x', '/')
